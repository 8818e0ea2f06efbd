#!/usr/bin/env bash
# agentgate quickstart: a private MariaDB with sample data, an OPA sidecar with the project's policy
# bundle (rego/), the gateway in dev mode in front of both, and a short agent session through the
# gateway with the mariadb CLI and dev tokens, showing what the policy allows and refuses.
#
#   ./quickstart.sh          set everything up and run the agent session (servers keep running)
#   ./quickstart.sh stop     stop the gateway, OPA and MariaDB started by a previous run
#   ./quickstart.sh status   show what is running
#
# Everything lives in ./run (git-ignored). Ports: QUICKSTART_DB_PORT (default: first free from 13306),
# QUICKSTART_OPA_PORT (from 18181) and QUICKSTART_GATEWAY_PORT (from 3307); a port you set must be free.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

RUN_DIR="${AG_ROOT}/run"
DB_DIR="${RUN_DIR}/mariadb"
OPA_DIR="${RUN_DIR}/opa"
TARGET="shop"
AGENT_SUBJECT="agent-42"

qs_main() {
  case "${1:-up}" in
    up) qs_up ;;
    stop) qs_stop ;;
    status) qs_status ;;
    -h|--help|help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
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
  qs_start_opa
  qs_configure_gateway
  qs_start_gateway
  qs_mint_tokens
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
  if ag_pid_alive "${RUN_DIR}/gateway.pid" || ag_pid_alive "${OPA_DIR}/opa.pid" || ag_pid_alive "${DB_DIR}/mariadbd.pid"; then
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
  OPA_PORT="$(qs_port QUICKSTART_OPA_PORT 18181)"
  GATEWAY_PORT="$(qs_port QUICKSTART_GATEWAY_PORT 3307)"
  mkdir -p "${RUN_DIR}"
  printf 'DB_PORT=%s\nOPA_PORT=%s\nGATEWAY_PORT=%s\n' "${DB_PORT}" "${OPA_PORT}" "${GATEWAY_PORT}" >"${RUN_DIR}/ports.env"
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

qs_start_opa() {
  ag_step "Starting OPA ${AG_OPA_VERSION} on 127.0.0.1:${OPA_PORT} with the policy bundle built from rego/ (decision log: run/opa/opa.log)"
  ag_opa_bundle "${OPA_DIR}/bundle.tar.gz"
  ag_opa_start "${OPA_DIR}" "${OPA_PORT}" on "${OPA_DIR}/bundle.tar.gz"
  ag_note "bundle: run/opa/bundle.tar.gz (opa-bundle/build.sh); the gateway asks POST /v1/data/agentgate/decision"
}

qs_configure_gateway() {
  ag_step "Configuring the gateway: dev issuer key, self-signed TLS, run/agentgate.yaml (policy: the OPA above)"
  ag_gateway_prepare "${RUN_DIR}"
  # A time limit above the 250 ms default: the first decision after the JVM starts pays for loading
  # the HTTP client and JSON classes and can take longer; later ones take a few milliseconds.
  ag_gateway_write_config "${RUN_DIR}/agentgate.yaml" "${GATEWAY_PORT}" "${TARGET}" "${DB_PORT}" shop false \
    "http://127.0.0.1:${OPA_PORT}" "timeout: 2s"
  # The demo's approval is refused at once with a ticket (hold mode would keep the mariadb CLI waiting).
  printf 'approval:\n  default_mode: ticket\n' >>"${RUN_DIR}/agentgate.yaml"
  # Every session is recorded (hash-chained, signed segments in run/recordings), for step 8's replay.
  printf 'recording:\n  on_failure: refuse\n' >>"${RUN_DIR}/agentgate.yaml"
  ag_note "dev issuer key: run/dev-issuer.jwk.json; TLS CA: run/tls/ca-cert.pem"
}

qs_start_gateway() {
  ag_step "Starting agentgate on 127.0.0.1:${GATEWAY_PORT} (log: run/gateway.log)"
  ag_gateway_start "${RUN_DIR}" "${GATEWAY_PORT}"
}

# Dev tokens for three identities; rego/data.json's role_bindings map their claims to roles:
# agent=true -> agent_readonly, role=orders_writer -> orders_writer, role=dba -> dba.
qs_mint_tokens() {
  ag_step "Minting dev tokens (15 minutes): ${AGENT_SUBJECT} (--claim agent=true: read-only agent), orders-svc (role=orders_writer), dba-alice (role=dba)"
  AGENT_TOKEN="$(qs_token "${AGENT_SUBJECT}" agent=true)"
  WRITER_TOKEN="$(qs_token orders-svc role=orders_writer)"
  DBA_TOKEN="$(qs_token dba-alice role=dba)"
  printf '%s' "${AGENT_TOKEN}" >"${RUN_DIR}/agent-token"
  ag_note "${AGENT_TOKEN:0:40}... (the agent's token, saved to run/agent-token)"
}

# qs_token SUBJECT CLAIM=VALUE: a 15-minute dev token.
qs_token() {
  local token
  token="$(ag_gateway_token "${RUN_DIR}/dev-issuer.jwk.json" "$1" 15m "$2")"
  [[ -n "${token}" ]] || ag_die "agentgate dev token printed nothing"
  printf '%s' "${token}"
}

# qs_mariadb_as_agent PASSWORD [mariadb options...]: the mariadb CLI logged in to target 'shop'
# through the gateway, over TLS verified against the dev CA, with PASSWORD (the token).
qs_mariadb_as_agent() {
  local password="$1"; shift
  MYSQL_PWD="${password}" mariadb --no-defaults --host=127.0.0.1 --port="${GATEWAY_PORT}" --user="${TARGET}" \
    --ssl --ssl-ca="${RUN_DIR}/tls/ca-cert.pem" --ssl-verify-server-cert "$@"
}

# qs_demo TITLE TOKEN EXPECTED... <<<SQL: one session through the gateway running SQL (continuing
# after errors), printed indented; every EXPECTED (an extended regex) must appear in the output,
# "!ERROR" means no error at all.
qs_demo() {
  local title="$1" token="$2" output expected; shift 2
  ag_step "${title}"
  output="$(qs_mariadb_as_agent "${token}" --table --verbose --force --unbuffered 2>&1 || true)"
  printf '%s\n' "${output}" | sed 's/^/    /'
  for expected in "$@"; do
    if [[ "${expected}" == '!ERROR' ]]; then
      ! grep -q '^ERROR' <<<"${output}" || ag_die "this step expected no error"
    else
      grep -Eq -- "${expected}" <<<"${output}" || ag_die "this step expected the output to show: ${expected}"
    fi
  done
}

qs_agent_session() {
  ag_step "Agent sessions through the gateway: mariadb -h 127.0.0.1 -P ${GATEWAY_PORT} -u ${TARGET} (password = token); every statement is decided by OPA"

  qs_demo "1. allow: the read-only agent reads orders and products" "${AGENT_TOKEN}" '!ERROR' 'shipped|paid' <<'SQL'
SELECT o.id, p.name AS product, o.quantity, o.status FROM orders o JOIN products p ON p.id = o.product_id ORDER BY o.id LIMIT 3;
SQL

  qs_demo "2. deny: DELETE without WHERE (rule unbounded_write), even for orders-svc who may write orders; the session goes on" \
    "${WRITER_TOKEN}" 'ERROR 1142.*unbounded_write: DELETE without a WHERE clause' 'orders_still_there' <<'SQL'
DELETE FROM orders;
SELECT COUNT(*) AS orders_still_there FROM orders;
SQL

  qs_demo "3. deny: DROP TABLE by the read-only agent (rules migrations, readonly, table_access)" "${AGENT_TOKEN}" 'ERROR 1142.*readonly: ' <<'SQL'
DROP TABLE orders;
SQL

  qs_demo "4. mask: the agent selects PII (customers.email, customers.ssn). The policy decides 'mask'; the gateway rewrites the values before they leave it: email keeps its domain, ssn its last 4 characters, also inside an expression (derived values are redacted whole)" \
    "${AGENT_TOKEN}" '!ERROR' '[*]{3}@example[.]com' '[*]{7}1120' <<'SQL'
SELECT name, email, ssn FROM customers ORDER BY id LIMIT 2;
SELECT CONCAT(name, ' ', ssn) AS disguised FROM customers ORDER BY id LIMIT 2;
SQL

  qs_demo "5. deny: ways around the masking are refused: a masked column in WHERE reveals it by inference; a conversion to a number echoes it in a warning (found by the gateway's column lineage, second policy ask)" \
    "${AGENT_TOKEN}" 'ERROR 1142.*pii: agents may not use masked column shop.customers.ssn in filter' 'ERROR 1142.*pii: agents may not use masked column shop.customers.ssn in error_channel' <<'SQL'
SELECT name FROM customers WHERE ssn LIKE '078%';
SELECT CAST(ssn AS SIGNED) AS n FROM customers;
SQL

  qs_demo "6. require_approval: a DBA sends SQL the gateway cannot analyse (rule unparsed: a human must approve). In ticket mode the statement is refused at once with a request id; once approved, the identical statement runs" \
    "${DBA_TOKEN}" "ERROR 1142.*Approval required by agentgate.*Request apr-.*Run the identical statement again after approval" <<'SQL'
SELECT id FROM orders FOR SYSTEM_TIME ALL;
SQL

  ag_step "7. A login with an invalid token is refused"
  local output
  if output="$(qs_mariadb_as_agent "not-a-token" -e "SELECT 1" 2>&1)"; then
    ag_die "the gateway accepted a login with an invalid token"
  fi
  printf '    %s\n' "${output}"
  grep -q "ERROR 1045" <<<"${output}" || ag_die "expected access denied (1045) for an invalid token"
  ag_note "Each decision is in OPA's decision log (run/opa/opa.log); a refusal's message carries its decision id."

  qs_replay_recorded_session
}

# Step 8: the session of step 4 as the gateway recorded it (run/recordings), replayed and verified.
qs_replay_recorded_session() {
  ag_step "8. The recorded session of step 4, replayed as the agent saw it (masked values recorded masked) and its signed hash chain verified"
  local session output
  session="$(qs_agentgate sessions list --config "${RUN_DIR}/agentgate.yaml" --subject agent-42 |
    awk '$6 == 2 && $7 == 0 { print $1; exit }')"
  [[ -n "${session}" ]] || ag_die "no recorded session of step 4 in run/recordings"
  ag_note "bin/agentgate sessions play ${session} --fast --config run/agentgate.yaml"
  output="$(qs_agentgate sessions play "${session}" --fast --config "${RUN_DIR}/agentgate.yaml")"
  printf '%s\n' "${output}" | sed 's/^/    /'
  grep -Eq '[*]{7}1120' <<<"${output}" || ag_die "the replay does not show the masked ssn the agent saw"
  ! grep -q '078-05-1120' <<<"${output}" || ag_die "the replay shows a clear-text ssn"
  output="$(qs_agentgate sessions verify "${session}" --config "${RUN_DIR}/agentgate.yaml")"
  printf '    %s\n' "${output}"
  grep -q ': OK' <<<"${output}" || ag_die "the recording of ${session} does not verify"
}

# qs_agentgate ARGS...: the CLI, without the log lines its start-up writes
qs_agentgate() {
  "${AG_ROOT}/bin/agentgate" "$@" 2>/dev/null | grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z (INFO|WARN) '
}

qs_print_next_steps() {
  ag_step "Quickstart is running"
  cat <<TEXT
    MariaDB (private):  127.0.0.1:${DB_PORT}   socket run/mariadb/mariadb.sock (root, no password)
    OPA:                127.0.0.1:${OPA_PORT}   bundle run/opa/bundle.tar.gz, decision log run/opa/opa.log
    agentgate:          127.0.0.1:${GATEWAY_PORT}   config run/agentgate.yaml, log run/gateway.log

    Connect as the read-only agent yourself:
      MYSQL_PWD="\$(cat run/agent-token)" mariadb -h 127.0.0.1 -P ${GATEWAY_PORT} -u ${TARGET} --ssl --ssl-ca=run/tls/ca-cert.pem
    A fresh token (other roles: --claim role=orders_writer, --claim role=dba; see rego/data.json):
      bin/agentgate dev token --key run/dev-issuer.jwk.json --sub ${AGENT_SUBJECT} --claim agent=true --ttl 15m
    Stop everything:
      ./quickstart.sh stop
TEXT
}

qs_stop() {
  ag_gateway_stop "${RUN_DIR}"
  ag_opa_stop "${OPA_DIR}"
  ag_mariadb_stop "${DB_DIR}"
}

qs_status() {
  local name pidfile
  for name in gateway opa mariadb; do
    case "${name}" in
      gateway) pidfile="${RUN_DIR}/gateway.pid" ;;
      opa) pidfile="${OPA_DIR}/opa.pid" ;;
      mariadb) pidfile="${DB_DIR}/mariadbd.pid" ;;
    esac
    if ag_pid_alive "${pidfile}"; then echo "${name}: running (pid $(cat "${pidfile}"))"; else echo "${name}: stopped"; fi
  done
  [[ ! -f "${RUN_DIR}/ports.env" ]] || sed 's/^/  /' "${RUN_DIR}/ports.env"
}

qs_main "$@"
