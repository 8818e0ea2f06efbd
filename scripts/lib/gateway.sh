# shellcheck shell=bash
# Building, configuring and running the agentgate gateway from the shaded jar.

# ag_agentgate ARGS...: the agentgate CLI (bin/agentgate, or the jar when the launcher is absent).
ag_agentgate() { "${AG_ROOT}/scripts/agentgate-exec.sh" "$@"; }

# ag_build_jar: mvn package of the gateway module when the jar is missing or older than its sources.
ag_build_jar() {
  if [[ -f "${AG_JAR}" ]] && [[ -z "$(find "${AG_ROOT}/gateway/src" "${AG_ROOT}/gateway/pom.xml" "${AG_ROOT}/pom.xml" \
        -newer "${AG_JAR}" -print -quit)" ]]; then
    ag_note "gateway/target/agentgate.jar is up to date"
    return 0
  fi
  ag_note "building gateway/target/agentgate.jar (mvn -pl gateway -am package -DskipTests)"
  (cd "${AG_ROOT}" && mvn -B -q -ntp -pl gateway -am -DskipTests package)
  [[ -f "${AG_JAR}" ]] || ag_die "the build finished but ${AG_JAR} is missing"
}

# ag_gateway_write_config FILE PORT TARGET DB_PORT DATABASE INSECURE_LOGIN [OPA_URL [POLICY_SETTING...]]
# FILE's directory must hold tls/ (ag_tls_generate), dev-issuer.jwk.json and service-password.
# Without OPA_URL the policy is disabled (dev mode: every statement allowed, the bare relay).
# POLICY_SETTINGs are further "key: value" lines of the policy section (e.g. "cache_max_entries: 0").
ag_gateway_write_config() {
  local file="$1" port="$2" target="$3" db_port="$4" database="$5" insecure="$6" opa_url="${7:-}"
  local policy="  disabled: true" setting
  if [[ -n "${opa_url}" ]]; then
    policy="  opa_url: ${opa_url}"
    for setting in "${@:8}"; do policy+=$'\n'"  ${setting}"; done
  fi
  cat >"${file}" <<YAML
# Written by $(basename "$0") for local development only. Paths are relative to this file.
dev_mode: true
listen:
  host: 127.0.0.1
  port: ${port}
tls:
  cert_file: tls/server-cert.pem
  key_file: tls/server-key.pem
  allow_insecure_token_login: ${insecure}
identity:
  dev_issuer:
    key_file: dev-issuer.jwk.json
    audiences: [agentgate]
policy:
${policy}
targets:
  ${target}:
    host: 127.0.0.1
    port: ${db_port}
    user: agentgate_svc
    password_file: service-password
    database: ${database}
    tls:
      mode: disabled
YAML
}

# ag_gateway_prepare DIR: the dev issuer key (kept if present) and TLS files for a gateway run in DIR.
ag_gateway_prepare() {
  local dir="$1"
  mkdir -p "${dir}"
  ag_tls_generate "${dir}/tls"
  [[ -f "${dir}/dev-issuer.jwk.json" ]] \
    || ag_agentgate dev keygen --out "${dir}/dev-issuer.jwk.json" >/dev/null
}

# ag_gateway_start DIR PORT: serve DIR/agentgate.yaml, log to DIR/gateway.log, pid in DIR/gateway.pid.
ag_gateway_start() {
  local dir="$1" port="$2"
  ag_gateway_stop "${dir}"
  ag_start_background "${dir}/gateway.pid" "${dir}/gateway.log" \
    "${AG_ROOT}/scripts/agentgate-exec.sh" serve --config "${dir}/agentgate.yaml"
  ag_wait_for_port "${port}" "${dir}/gateway.pid" "agentgate" "${dir}/gateway.log" 60
}

ag_gateway_stop() { ag_stop_pidfile "$1/gateway.pid" "agentgate"; }

# ag_gateway_token KEYFILE SUBJECT TTL [CLAIM=VALUE...]: prints a dev token with those extra claims.
ag_gateway_token() {
  local key="$1" subject="$2" ttl="$3" claim claims=()
  for claim in "${@:4}"; do claims+=(--claim "${claim}"); done
  ag_agentgate dev token --key "${key}" --sub "${subject}" --ttl "${ttl}" "${claims[@]}" | tail -n 1
}
