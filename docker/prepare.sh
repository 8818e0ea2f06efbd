#!/usr/bin/env bash
# Writes docker/secrets/ for docker-compose.yml: a dev TLS CA + server certificate for the gateway
# and the MySQL service account's password. Dev use only. Needs openssl on the host.
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
secrets="${AG_ROOT}/docker/secrets"
mkdir -p "${secrets}"
ag_tls_generate "${secrets}/tls"
[[ -f "${secrets}/service-password" ]] || (umask 077; openssl rand -hex 16 | tr -d '\n' >"${secrets}/service-password")
# The containers run under their own user ids and read these through a bind mount: dev only.
chmod 0644 "${secrets}/service-password" "${secrets}"/tls/server-key.pem
echo "wrote ${secrets#"${AG_ROOT}"/}: tls/ (CA: tls/ca-cert.pem) and service-password"
