#!/usr/bin/env bash
# agentgate quickstart: a private MariaDB with sample data, the gateway in dev mode in front of it,
# and a short agent session through the gateway with the mariadb CLI and a dev token.
#
#   ./quickstart.sh          set everything up and run the agent session (servers keep running)
#   ./quickstart.sh stop     stop the gateway and MariaDB started by a previous run
#   ./quickstart.sh status   show what is running
#
# Everything lives in ./run (git-ignored). Ports: QUICKSTART_DB_PORT (default: first free from 13306)
# and QUICKSTART_GATEWAY_PORT (default: first free from 3307); a port you set explicitly must be free.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

RUN_DIR="${AG_ROOT}/run"
DB_DIR="${RUN_DIR}/mariadb"
TARGET="shop"
AGENT_SUBJECT="agent-42"

qs_main() {
  case "${1:-up}" in
    up) qs_up ;;
    stop) qs_stop ;;
    status) qs_status ;;
    -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) ag_die "unknown command '$1' (use: ./quickstart.sh [up|stop|status])" ;;
  esac
}

qs_up() {
  trap 'qs_on_exit $?' EXIT
  qs_stop_previous_run
  qs_install
  qs_build
  qs_choose_ports
  qs_start_mariadb
  qs_load_sample_data
  qs_create_service_user
  qs_configure_gateway
  qs_start_gateway
  qs_mint_token
  qs_agent_session
  qs_print_next_steps
}

# On failure (any non-zero exit, including ag_die), stop what this run started; on success leave it running.
qs_on_exit() {
  (( $1 != 0 )) || return 0
  ag_warn "quickstart failed; stopping what it started (logs stay in ${RUN_DIR})"
  qs_stop
}

qs_stop_previous_run() {
  if ag_pid_alive "${RUN_DIR}/gateway.pid" || ag_pid_alive "${DB_DIR}/mariadbd.pid"; then
    ag_step "A previous quickstart is still running: stopping it first"
    qs_stop
  fi
}

qs_install() {
  ag_step "Checking prerequisites (installs only what is missing)"
  ag_have_commands java mvn || ag_die "Java 17 and Maven are needed to build the gateway"
  ag_install_apt_packages if-missing
  ag_install_opa
}

qs_build() {
  ag_step "Building the gateway"
  ag_build_jar
}

qs_choose_ports() {
  DB_PORT="$(qs_port QUICKSTART_DB_PORT 13306)"
  GATEWAY_PORT="$(qs_port QUICKSTART_GATEWAY_PORT 3307)"
  mkdir -p "${RUN_DIR}"
  printf 'DB_PORT=%s\nGATEWAY_PORT=%s\n' "${DB_PORT}" "${GATEWAY_PORT}" >"${RUN_DIR}/ports.env"
}

# qs_port VARIABLE DEFAULT: the port the user set (must be free), else the first free one from DEFAULT.
qs_port() {
  local requested="${!1:-}"
  if [[ -n "${requested}" ]]; then
    ! ag_port_in_use "${requested}" || ag_die "$1=${requested} is already in use on 127.0.0.1; pick another port"
    echo "${requested}"
  else
    ag_free_port "$2"
  fi
}

qs_start_mariadb() {
  ag_step "Starting a private MariaDB in run/mariadb on 127.0.0.1:${DB_PORT}"
  ag_mariadb_start "${DB_DIR}" "${DB_PORT}"
  ag_note "$(ag_mariadb_root "${DB_DIR}" -N -e 'SELECT VERSION()')"
}

qs_load_sample_data() {
  ag_step "Loading sample data (quickstart/sample.sql: shop.customers, shop.orders, shop.products)"
  ag_mariadb_root "${DB_DIR}" <"${AG_ROOT}/quickstart/sample.sql"
  ag_mariadb_root "${DB_DIR}" --table -e "SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY table_name"
}

qs_create_service_user() {
  ag_step "Creating the gateway's service account agentgate_svc@127.0.0.1 (password in run/service-password)"
  ag_mariadb_service_user "${DB_DIR}" agentgate_svc "${RUN_DIR}/service-password" \
    "SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, SHOW VIEW" "shop.*"
}

qs_configure_gateway() {
  ag_step "Configuring the gateway: dev issuer key, self-signed TLS, run/agentgate.yaml"
  ag_gateway_prepare "${RUN_DIR}"
  ag_gateway_write_config "${RUN_DIR}/agentgate.yaml" "${GATEWAY_PORT}" "${TARGET}" "${DB_PORT}" shop false
  ag_note "dev issuer key: run/dev-issuer.jwk.json; TLS CA: run/tls/ca-cert.pem"
}

qs_start_gateway() {
  ag_step "Starting agentgate on 127.0.0.1:${GATEWAY_PORT} (log: run/gateway.log)"
  ag_gateway_start "${RUN_DIR}" "${GATEWAY_PORT}"
}

qs_mint_token() {
  ag_step "Minting a dev token for subject '${AGENT_SUBJECT}' (15 minutes)"
  AGENT_TOKEN="$(ag_gateway_token "${RUN_DIR}/dev-issuer.jwk.json" "${AGENT_SUBJECT}" 15m)"
  [[ -n "${AGENT_TOKEN}" ]] || ag_die "agentgate dev token printed nothing"
  printf '%s' "${AGENT_TOKEN}" >"${RUN_DIR}/agent-token"
  ag_note "${AGENT_TOKEN:0:40}... (saved to run/agent-token)"
}

# qs_mariadb_as_agent PASSWORD [mariadb options...]: the mariadb CLI logged in to target 'shop'
# through the gateway, over TLS verified against the dev CA, with PASSWORD (the token).
qs_mariadb_as_agent() {
  local password="$1"; shift
  MYSQL_PWD="${password}" mariadb --no-defaults --host=127.0.0.1 --port="${GATEWAY_PORT}" --user="${TARGET}" \
    --ssl --ssl-ca="${RUN_DIR}/tls/ca-cert.pem" --ssl-verify-server-cert "$@"
}

qs_agent_session() {
  ag_step "Agent session through the gateway: mariadb -h 127.0.0.1 -P ${GATEWAY_PORT} -u ${TARGET} (password = token)"
  local output
  output="$(qs_mariadb_as_agent "${AGENT_TOKEN}" --table --verbose --force --unbuffered 2>&1 <<'SQL' || true
SELECT CURRENT_USER() AS backend_account, DATABASE() AS current_database;
SHOW TABLES;
SELECT id, name, email, phone FROM customers ORDER BY id LIMIT 3;
SELECT o.id, c.name AS customer, p.name AS product, o.quantity, o.status
  FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id
  ORDER BY o.id;
SELECT * FROM no_such_table;
SELECT 'the session survives a server error' AS after_error;
SQL
)"
  printf '%s\n' "${output}" | sed 's/^/    /'
  grep -q "ERROR 1146" <<<"${output}" || ag_die "expected the server's error 1146 (no such table) to pass through"
  grep -q "the session survives a server error" <<<"${output}" || ag_die "the agent session did not complete"
  ag_note "OK: queries answered, the server's error 1146 passed through, the session went on."

  ag_step "A login with an invalid token is refused"
  if output="$(qs_mariadb_as_agent "not-a-token" -e "SELECT 1" 2>&1)"; then
    ag_die "the gateway accepted a login with an invalid token"
  fi
  printf '    %s\n' "${output}"
  grep -q "ERROR 1045" <<<"${output}" || ag_die "expected access denied (1045) for an invalid token"
}

qs_print_next_steps() {
  ag_step "Quickstart is running"
  cat <<TEXT
    MariaDB (private):  127.0.0.1:${DB_PORT}   socket run/mariadb/mariadb.sock (root, no password)
    agentgate:          127.0.0.1:${GATEWAY_PORT}   config run/agentgate.yaml, log run/gateway.log

    Connect as an agent yourself:
      MYSQL_PWD="\$(cat run/agent-token)" mariadb -h 127.0.0.1 -P ${GATEWAY_PORT} -u ${TARGET} --ssl --ssl-ca=run/tls/ca-cert.pem
    A fresh token:
      bin/agentgate dev token --key run/dev-issuer.jwk.json --sub ${AGENT_SUBJECT} --ttl 15m
    Stop everything:
      ./quickstart.sh stop
TEXT
}

qs_stop() {
  ag_gateway_stop "${RUN_DIR}"
  ag_mariadb_stop "${DB_DIR}"
}

qs_status() {
  local name pidfile
  for name in gateway mariadb; do
    pidfile="${RUN_DIR}/gateway.pid"
    [[ "${name}" == gateway ]] || pidfile="${DB_DIR}/mariadbd.pid"
    if ag_pid_alive "${pidfile}"; then echo "${name}: running (pid $(cat "${pidfile}"))"; else echo "${name}: stopped"; fi
  done
  [[ ! -f "${RUN_DIR}/ports.env" ]] || sed 's/^/  /' "${RUN_DIR}/ports.env"
}

qs_main "$@"
