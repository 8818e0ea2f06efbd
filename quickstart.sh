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
# QUICKSTART_OPA_PORT (from 18181), QUICKSTART_GATEWAY_PORT (from 3307), QUICKSTART_ADMIN_PORT (the gateway's
# admin listener, from 19090), QUICKSTART_SLACK_PORT (the local Slack webhook stand-in, from 18090) and
# QUICKSTART_SSO_PORT (the local sign-in issuer of the approval page, from 18280); a port you set must be free.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

RUN_DIR="${AG_ROOT}/run"
DB_DIR="${RUN_DIR}/mariadb"
OPA_DIR="${RUN_DIR}/opa"
SLACK_DIR="${RUN_DIR}/slack"
SSO_DIR="${RUN_DIR}/sso"
SSO_CLIENT_ID="agentgate-approvals"
TARGET="shop"
AGENT_SUBJECT="agent-42"

qs_main() {
  case "${1:-up}" in
    up) qs_up ;;
    stop) qs_stop ;;
    status) qs_status ;;
    -h|--help|help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' ;;
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
  qs_start_slack_receiver
  qs_configure_gateway
  qs_start_dev_sso
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
  if ag_pid_alive "${RUN_DIR}/gateway.pid" || ag_pid_alive "${OPA_DIR}/opa.pid" || ag_pid_alive "${DB_DIR}/mariadbd.pid" \
      || ag_pid_alive "${SLACK_DIR}/receiver.pid" || ag_pid_alive "${SSO_DIR}/sso.pid"; then
    ag_step "A previous quickstart is still running: stopping it first"
    qs_stop
  fi
}

qs_install() {
  ag_step "Checking prerequisites (installs only what is missing)"
  ag_have_commands java mvn || ag_die "Java 17 and Maven are needed to build the gateway"
  ag_have_commands python3 || ag_die "python3 is needed for the local Slack webhook stand-in"
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
  ADMIN_PORT="$(qs_port QUICKSTART_ADMIN_PORT 19090)"
  SLACK_PORT="$(qs_port QUICKSTART_SLACK_PORT 18090)"
  SSO_PORT="$(qs_port QUICKSTART_SSO_PORT 18280)"
  mkdir -p "${RUN_DIR}"
  printf 'DB_PORT=%s\nOPA_PORT=%s\nGATEWAY_PORT=%s\nADMIN_PORT=%s\nSLACK_PORT=%s\nSSO_PORT=%s\n' "${DB_PORT}" "${OPA_PORT}" \
    "${GATEWAY_PORT}" "${ADMIN_PORT}" "${SLACK_PORT}" "${SSO_PORT}" >"${RUN_DIR}/ports.env"
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
  # The one table the approval demo drops (step 7); the account may drop no other.
  ag_mariadb_root "${DB_DIR}" -e "GRANT DROP ON shop.orders_2019 TO 'agentgate_svc'@'127.0.0.1'"
}

qs_start_opa() {
  ag_step "Starting OPA ${AG_OPA_VERSION} on 127.0.0.1:${OPA_PORT} with the policy bundle built from rego/ (decision log: run/opa/opa.log)"
  ag_opa_bundle "${OPA_DIR}/bundle.tar.gz"
  ag_opa_start "${OPA_DIR}" "${OPA_PORT}" on "${OPA_DIR}/bundle.tar.gz"
  ag_note "bundle: run/opa/bundle.tar.gz (opa-bundle/build.sh); the gateway asks POST /v1/data/agentgate/decision"
}

# A local stand-in for Slack's incoming webhook (quickstart/slack-receiver.py): it prints each approval message
# the gateway posts (run/slack/receiver.log) and keeps them as JSON lines (run/slack/messages.jsonl).
qs_start_slack_receiver() {
  ag_step "Starting a local Slack webhook stand-in on 127.0.0.1:${SLACK_PORT} (prints approval messages: run/slack/receiver.log)"
  mkdir -p "${SLACK_DIR}"
  : >"${SLACK_DIR}/messages.jsonl"
  ag_start_background "${SLACK_DIR}/receiver.pid" "${SLACK_DIR}/receiver.log" \
    python3 -u "${AG_ROOT}/quickstart/slack-receiver.py" "${SLACK_PORT}" "${SLACK_DIR}/messages.jsonl"
  ag_wait_for_port "${SLACK_PORT}" "${SLACK_DIR}/receiver.pid" "the Slack webhook stand-in" "${SLACK_DIR}/receiver.log" 20
}

qs_configure_gateway() {
  ag_step "Configuring the gateway: dev issuer key, self-signed TLS, run/agentgate.yaml (policy: the OPA above)"
  ag_gateway_prepare "${RUN_DIR}"
  mkdir -p "${SSO_DIR}"
  # A time limit above the 250 ms default: the first decision after the JVM starts pays for loading
  # the HTTP client and JSON classes and can take longer; later ones take a few milliseconds.
  ag_gateway_write_config "${RUN_DIR}/agentgate.yaml" "${GATEWAY_PORT}" "${TARGET}" "${DB_PORT}" shop false \
    "http://127.0.0.1:${OPA_PORT}" "timeout: 2s"
  # Approvals: statements wait for the decision (hold); requests go to the local Slack stand-in with a signed
  # link to the approval page, where approvers sign in (here at the local dev SSO issuer) and decide; they can
  # also decide through the admin listener's approvals API (bin/agentgate approvals) with their own token.
  # Fresh secrets every run: the page's link key and the gateway's client secret at the dev SSO issuer.
  (umask 077; openssl rand -hex 32 >"${SSO_DIR}/client-secret")
  cat >>"${RUN_DIR}/agentgate.yaml" <<YAML
approval:
  default_mode: hold
  link_key: "$(openssl rand -hex 32)"
  sso:
    issuer: http://127.0.0.1:${SSO_PORT}
    client_id: ${SSO_CLIENT_ID}
    client_secret: "$(cat "${SSO_DIR}/client-secret")"
    redirect_uri: http://127.0.0.1:${ADMIN_PORT}/approve/callback
  slack:
    webhook_url: http://127.0.0.1:${SLACK_PORT}/services/quickstart
admin:
  enabled: true
  host: 127.0.0.1
  port: ${ADMIN_PORT}
YAML
  # Every session is recorded (hash-chained, signed segments in run/recordings), for step 9's replay.
  printf 'recording:\n  on_failure: refuse\n' >>"${RUN_DIR}/agentgate.yaml"
  ag_note "dev issuer key: run/dev-issuer.jwk.json; TLS CA: run/tls/ca-cert.pem"
}

# The approval page's sign-in (approval.sso) at a local OIDC issuer for development only (agentgate dev sso):
# it signs every browser in as dana (group dba-oncall) without a password, with the dev issuer key, on 127.0.0.1.
qs_start_dev_sso() {
  ag_step "Starting the dev SSO issuer on 127.0.0.1:${SSO_PORT} (development only: every sign-in becomes dana, group dba-oncall; log: run/sso/sso.log)"
  ag_start_background "${SSO_DIR}/sso.pid" "${SSO_DIR}/sso.log" \
    "${AG_ROOT}/scripts/agentgate-exec.sh" dev sso --key "${RUN_DIR}/dev-issuer.jwk.json" --port "${SSO_PORT}" \
    --client-id "${SSO_CLIENT_ID}" --client-secret-file "${SSO_DIR}/client-secret" \
    --redirect-uri "http://127.0.0.1:${ADMIN_PORT}/approve/callback" --user dana --claim-json 'groups=["dba-oncall"]'
  ag_wait_for_port "${SSO_PORT}" "${SSO_DIR}/sso.pid" "the dev SSO issuer" "${SSO_DIR}/sso.log" 60
}

qs_start_gateway() {
  ag_step "Starting agentgate on 127.0.0.1:${GATEWAY_PORT} (log: run/gateway.log)"
  ag_gateway_start "${RUN_DIR}" "${GATEWAY_PORT}"
}

# Dev tokens; rego/data.json's role_bindings map their claims to roles: agent=true -> agent_readonly,
# role=orders_writer -> orders_writer, role=dba -> dba, the migrate job's CI claims -> migrator. dana is a
# person on the approvers' list of the policy (group dba-oncall); she logs in to no database.
qs_mint_tokens() {
  ag_step "Minting dev tokens (15 minutes): ${AGENT_SUBJECT} (--claim agent=true: read-only agent), orders-svc (role=orders_writer), dba-alice (role=dba), the migrate job (CI claims: migrator), dana (approver: group dba-oncall)"
  AGENT_TOKEN="$(qs_token "${AGENT_SUBJECT}" --claim agent=true)"
  WRITER_TOKEN="$(qs_token orders-svc --claim role=orders_writer)"
  DBA_TOKEN="$(qs_token dba-alice --claim role=dba)"
  MIGRATE_TOKEN="$(qs_token repo:acme/shop:ref:refs/heads/main --claim repository=acme/shop --claim ref=refs/heads/main \
    --claim workflow=migrate --claim job_workflow_ref=acme/shop/.github/workflows/migrate.yml@refs/heads/main)"
  APPROVER_TOKEN="$(qs_token dana --claim-json 'groups=["dba-oncall"]')"
  printf '%s' "${AGENT_TOKEN}" >"${RUN_DIR}/agent-token"
  (umask 077; printf '%s' "${APPROVER_TOKEN}" >"${RUN_DIR}/approver-token")
  ag_note "${AGENT_TOKEN:0:40}... (the agent's token, saved to run/agent-token; dana's in run/approver-token)"
}

# qs_token SUBJECT [--claim NAME=VALUE | --claim-json NAME=JSON]...: a 15-minute dev token.
qs_token() {
  local token subject="$1"; shift
  token="$(ag_agentgate dev token --key "${RUN_DIR}/dev-issuer.jwk.json" --sub "${subject}" --ttl 15m "$@" | tail -n 1)"
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

  qs_held_demo "6. require_approval, denied: a DBA sends SQL the gateway cannot analyse (rule unparsed: a human must approve). The statement waits; the request goes to Slack (here the local stand-in); dana, on call, denies it with her own token" \
    "${DBA_TOKEN}" deny "SELECT id FROM orders FOR SYSTEM_TIME ALL;" \
    "ERROR 1142.*request apr-[0-9a-f]+ was denied by agentgate-dev[|]dana; do not retry this statement"

  qs_held_demo "7. require_approval, approved: the migrate job (CI claims) drops last decade's orders (rule destructive: DROP needs approval by dba-oncall). The DROP waits; dana follows the approve link of the Slack message, signs in (at the dev SSO issuer) and approves on the page; then the DROP runs and the session gets its OK" \
    "${MIGRATE_TOKEN}" approve "DROP TABLE orders_2019;" '!ERROR'
  [[ -z "$(ag_mariadb_root "${DB_DIR}" -N -e "SHOW TABLES FROM shop LIKE 'orders_2019'")" ]] \
    || ag_die "shop.orders_2019 is still there after the approved DROP"
  ag_note "the DROP ran once approved: shop.orders_2019 is gone"

  ag_step "8. A login with an invalid token is refused"
  local output
  if output="$(qs_mariadb_as_agent "not-a-token" -e "SELECT 1" 2>&1)"; then
    ag_die "the gateway accepted a login with an invalid token"
  fi
  printf '    %s\n' "${output}"
  grep -q "ERROR 1045" <<<"${output}" || ag_die "expected access denied (1045) for an invalid token"
  ag_note "Each decision is in OPA's decision log (run/opa/opa.log); a refusal's message carries its decision id."

  qs_replay_recorded_session
}

# qs_held_demo TITLE TOKEN approve|deny SQL EXPECTED...: one session through the gateway sends SQL, which the
# policy sends for approval; the gateway holds it. Once the request's Slack message has arrived at the stand-in
# (printed here), dana decides: approve on the approval page behind the message's link (qs_approve_on_page), deny
# with `agentgate approvals deny ID` and her own token, as an approver would from a terminal; then the waiting
# session ends and its output is checked like qs_demo's.
qs_held_demo() {
  local title="$1" token="$2" verdict="$3" sql="$4" session_pid id output expected seen messages; shift 4
  ag_step "${title}"
  seen="$(wc -l <"${SLACK_DIR}/receiver.log")"
  messages="$(wc -l <"${SLACK_DIR}/messages.jsonl")"
  qs_mariadb_as_agent "${token}" --table --verbose --force --unbuffered <<<"${sql}" >"${RUN_DIR}/held-session.out" 2>&1 &
  session_pid=$!
  id="$(qs_await_approval_request "${messages}")" || { kill "${session_pid}" 2>/dev/null; ag_die "no approval request reached the Slack stand-in"; }
  tail -n "+$((seen + 1))" "${SLACK_DIR}/receiver.log" | sed 's/^/    slack> /'
  seen="$(wc -l <"${SLACK_DIR}/receiver.log")"
  kill -0 "${session_pid}" 2>/dev/null || ag_die "the session did not wait for the decision: $(cat "${RUN_DIR}/held-session.out")"
  if [[ "${verdict}" == approve ]]; then
    qs_approve_on_page "${id}" "${messages}"
  else
    ag_note "the mariadb session is waiting; dana decides: AGENTGATE_APPROVER_TOKEN=\$(cat run/approver-token) bin/agentgate approvals ${verdict} ${id} --admin-url http://127.0.0.1:${ADMIN_PORT}"
    AGENTGATE_APPROVER_TOKEN="${APPROVER_TOKEN}" qs_agentgate approvals "${verdict}" "${id}" \
      --admin-url "http://127.0.0.1:${ADMIN_PORT}" | sed 's/^/    /'
  fi
  wait "${session_pid}" || true
  output="$(cat "${RUN_DIR}/held-session.out")"
  printf '%s\n' "${output}" | sed 's/^/    /'
  qs_await_slack_messages $((messages + 2)) || ag_die "the outcome of ${id} was not posted to the Slack stand-in"
  tail -n "+$((seen + 1))" "${SLACK_DIR}/receiver.log" | sed 's/^/    slack> /'
  for expected in "$@"; do
    if [[ "${expected}" == '!ERROR' ]]; then
      ! grep -q '^ERROR' <<<"${output}" || ag_die "this step expected no error"
    else
      grep -Eq -- "${expected}" <<<"${output}" || ag_die "this step expected the output to show: ${expected}"
    fi
  done
}

# qs_approve_on_page ID SEEN: dana approves request ID on the approval page, as her browser would: curl follows
# the approve link of the first message after the first SEEN ones (cookie jar run/sso/cookies.txt, -L through the
# sign-in: page -> dev SSO issuer's /authorize -> the page's /approve/callback -> the page), then submits the page's
# form (its hidden exp, sig and CSRF token) with decision=approve, from the page's origin as a browser would.
qs_approve_on_page() {
  local id="$1" link jar page action answer message
  link="$(tail -n "+$(($2 + 1))" "${SLACK_DIR}/messages.jsonl" | grep -o "https\{0,1\}://[^|\"]*/approve/${id}?[^|\"]*" \
    | head -n 1 || true)"
  [[ -n "${link}" ]] || ag_die "the Slack message of ${id} carries no approve link"
  ag_note "the mariadb session is waiting; dana opens the approve link: ${link}"
  jar="${SSO_DIR}/cookies.txt"
  rm -f "${jar}"
  page="$(curl -sS --fail -L --max-redirs 5 -c "${jar}" -b "${jar}" -w '\n%{url_effective} after %{num_redirects} redirects' \
    "${link}")" || ag_die "following the approve link failed"
  ag_note "curl -L: signed in at the dev SSO issuer (http://127.0.0.1:${SSO_PORT}/authorize) and back on $(tail -n 1 <<<"${page}")"
  [[ -n "$(qs_html_field csrf "${page}")" ]] || ag_die "the approval page shows no form: ${page}"
  ag_note "page: signed in as $(qs_html_text '<span id="approver">' "${page}"); statement: $(qs_html_text '<pre id="statement">' "${page}")"
  action="$(grep -o '<form method="post" action="[^"]*"' <<<"${page}" | head -n 1 | sed 's/.*action="//; s/"$//')"
  ag_note "dana presses Approve: POST http://127.0.0.1:${ADMIN_PORT}${action} (exp, sig, csrf from the page; decision=approve)"
  answer="$(curl -sS -b "${jar}" -c "${jar}" -H "Origin: http://127.0.0.1:${ADMIN_PORT}" \
    --data-urlencode "exp=$(qs_html_field exp "${page}")" \
    --data-urlencode "sig=$(qs_html_field sig "${page}")" --data-urlencode "csrf=$(qs_html_field csrf "${page}")" \
    --data-urlencode decision=approve "http://127.0.0.1:${ADMIN_PORT}${action}")" || ag_die "posting the approval failed"
  message="$(qs_html_text '<p id="message">' "${answer}")"
  ag_note "page: ${message}"
  [[ "${message}" == "Request ${id} is approved." ]] || ag_die "the approval page did not approve ${id}: ${answer}"
}

# qs_html_field NAME HTML: the value of the hidden form field NAME of the page HTML.
qs_html_field() {
  grep -o "name=\"$1\" value=\"[^\"]*\"" <<<"$2" | head -n 1 | sed 's/.*value="//; s/"$//' || true
}

# qs_html_text OPENING_TAG HTML: the text of the element opened by OPENING_TAG (HTML entities decoded).
qs_html_text() {
  local rest="${2#*"$1"}"
  [[ "${rest}" != "$2" ]] || return 0
  rest="${rest%%<*}"
  rest="${rest//&lt;/<}"; rest="${rest//&gt;/>}"; rest="${rest//&quot;/\"}"; rest="${rest//&#39;/\'}"
  printf '%s' "${rest//&amp;/&}"
}

# qs_await_slack_messages COUNT: waits until the stand-in has received COUNT messages in all (10 s at most).
qs_await_slack_messages() {
  local deadline=$(( $(date +%s) + 10 ))
  until (( $(wc -l <"${SLACK_DIR}/messages.jsonl") >= $1 )); do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.2
  done
}

# qs_await_approval_request SEEN: the request id on the buttons of the first message after the first SEEN
# messages the stand-in received, once it is there (30 s at most).
qs_await_approval_request() {
  local deadline=$(( $(date +%s) + 30 )) id
  while (( $(date +%s) < deadline )); do
    id="$(tail -n "+$(($1 + 1))" "${SLACK_DIR}/messages.jsonl" | grep -o '"value": "apr-[0-9a-f]*"' | head -n 1 \
      | grep -o 'apr-[0-9a-f]*' || true)"
    if [[ -n "${id}" ]]; then
      printf '%s' "${id}"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# Step 9: the session of step 4 as the gateway recorded it (run/recordings), replayed and verified.
qs_replay_recorded_session() {
  ag_step "9. The recorded session of step 4, replayed as the agent saw it (masked values recorded masked) and its signed hash chain verified"
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
    admin listener:     http://127.0.0.1:${ADMIN_PORT}   (health, metrics, the approvals API)
    Slack stand-in:     http://127.0.0.1:${SLACK_PORT}   approval messages in run/slack/receiver.log
    dev SSO issuer:     http://127.0.0.1:${SSO_PORT}   the approval page's sign-in; DEVELOPMENT ONLY (signs everyone in as dana)

    Connect as the read-only agent yourself:
      MYSQL_PWD="\$(cat run/agent-token)" mariadb -h 127.0.0.1 -P ${GATEWAY_PORT} -u ${TARGET} --ssl --ssl-ca=run/tls/ca-cert.pem
    A fresh token (other roles: --claim role=orders_writer, --claim role=dba; see rego/data.json):
      bin/agentgate dev token --key run/dev-issuer.jwk.json --sub ${AGENT_SUBJECT} --claim agent=true --ttl 15m
    Pending approval requests, and deciding one as dana (group dba-oncall):
      AGENTGATE_APPROVER_TOKEN="\$(cat run/approver-token)" bin/agentgate approvals list --admin-url http://127.0.0.1:${ADMIN_PORT}
      AGENTGATE_APPROVER_TOKEN="\$(cat run/approver-token)" bin/agentgate approvals approve apr-... --admin-url http://127.0.0.1:${ADMIN_PORT}
    Or open the "approve link:" of a request in run/slack/receiver.log in a browser on this machine (signs you in as dana).
    Stop everything:
      ./quickstart.sh stop
TEXT
}

qs_stop() {
  ag_gateway_stop "${RUN_DIR}"
  ag_stop_pidfile "${SLACK_DIR}/receiver.pid" "the Slack webhook stand-in"
  ag_stop_pidfile "${SSO_DIR}/sso.pid" "the dev SSO issuer"
  ag_opa_stop "${OPA_DIR}"
  ag_mariadb_stop "${DB_DIR}"
}

qs_status() {
  local name pidfile
  for name in gateway opa mariadb slack-receiver dev-sso; do
    case "${name}" in
      gateway) pidfile="${RUN_DIR}/gateway.pid" ;;
      slack-receiver) pidfile="${SLACK_DIR}/receiver.pid" ;;
      dev-sso) pidfile="${SSO_DIR}/sso.pid" ;;
      opa) pidfile="${OPA_DIR}/opa.pid" ;;
      mariadb) pidfile="${DB_DIR}/mariadbd.pid" ;;
    esac
    if ag_pid_alive "${pidfile}"; then echo "${name}: running (pid $(cat "${pidfile}"))"; else echo "${name}: stopped"; fi
  done
  [[ ! -f "${RUN_DIR}/ports.env" ]] || sed 's/^/  /' "${RUN_DIR}/ports.env"
}

qs_main "$@"
