#!/usr/bin/env bash
# Logs in to agentgate with a token over TLS (mariadb CLI), runs one query, prints the result tab-separated.
# Environment: AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER (the target name), AGENTGATE_TOKEN (the JWT),
# AGENTGATE_CA (optional: verify the server certificate against this PEM file; without it TLS is not verified),
# AGENTGATE_DATABASE (optional: default schema; the gateway defaults to the target's), AGENTGATE_QUERY (optional),
# AGENTGATE_PLUGIN_DIR (optional: the client's authentication plugin directory). Needs: apt-get install mariadb-client
#
# The token goes in MYSQL_PWD (not on the command line, where `ps` would show it). The client's
# caching_sha2_password plugin (libmariadb3's plugin dir) sends it in clear text inside TLS when the gateway
# asks for full authentication.
set -euo pipefail
query="${AGENTGATE_QUERY:-SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer}"
tls=(--ssl)
plugins=()
[[ -z "${AGENTGATE_PLUGIN_DIR:-}" ]] || plugins=(--plugin-dir="$AGENTGATE_PLUGIN_DIR")
if [[ -n "${AGENTGATE_CA:-}" ]]; then
  tls+=(--ssl-ca="$AGENTGATE_CA" --ssl-verify-server-cert)
else
  tls+=(--skip-ssl-verify-server-cert)
fi
MYSQL_PWD="$AGENTGATE_TOKEN" exec mariadb "${plugins[@]}" "${tls[@]}" --protocol=TCP -h "$AGENTGATE_HOST" -P "$AGENTGATE_PORT" \
  -u "$AGENTGATE_USER" --default-character-set=utf8mb4 --batch -e "$query" ${AGENTGATE_DATABASE:+"$AGENTGATE_DATABASE"}
