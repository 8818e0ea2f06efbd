# shellcheck shell=bash
# A private dev CA with a server certificate for 127.0.0.1/localhost and a client certificate.

# ag_tls_generate DIR: writes ca-cert.pem, server-cert.pem, server-key.pem (PKCS#8), client-cert.pem,
# client-key.pem into DIR unless they are already there. Dev use only: keys are unencrypted.
ag_tls_generate() {
  local dir="$1"
  if [[ -f "${dir}/server-cert.pem" && -f "${dir}/server-key.pem" && -f "${dir}/client-cert.pem" ]]; then
    return 0
  fi
  mkdir -p "${dir}"
  (
    cd "${dir}" || exit 1
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=agentgate dev CA" \
      -keyout ca-key.pem -out ca-cert.pem 2>/dev/null
    ag_tls_issue server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1"
    ag_tls_issue client "/CN=agentgate dev client" "extendedKeyUsage=clientAuth"
    chmod 644 ./*-cert.pem
  )
}

# ag_tls_issue NAME SUBJECT EXTENSION: NAME-key.pem + NAME-cert.pem signed by the CA in the current directory.
ag_tls_issue() {
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
    -extfile <(printf '%s\n' "$3") -out "$1-cert.pem" 2>/dev/null
  rm -f "$1.csr"
}
