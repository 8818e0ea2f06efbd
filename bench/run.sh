#!/usr/bin/env bash
# Benchmark: sysbench oltp_point_select and oltp_read_only against MariaDB directly and through
# proxies in front of it, in one run on the same prepared tables. Targets:
#   direct             MariaDB itself
#   haproxy            HAProxy in TCP mode
#   gateway            agentgate with the policy disabled (dev_mode): the bare relay, "pass-through"
#   gateway-opa        agentgate asking a real OPA for every statement: allow-all policy
#                      (bench/policy, rule agentgate_bench/allow), decision cache off (cache_max_entries: 0)
#   gateway-opa-cache  the same with the decision cache: allow-all returning cache_ttl_s and cache_key: digest
#   gateway-agent      agentgate with the shipped policy bundle in a real OPA and the default policy config
#                      (decision cache on): what an AI agent (token claim agent=true) gets; for the agent tests
#   gateway-baseline   the pass-through relay of another build (--baseline-jar), to measure a change of the
#                      relay side by side with it: its ratios to "gateway" are the change's effect
#   gateway-agent-baseline  gateway-agent run by the other build (--baseline-jar): a change of the policy path
#                      side by side with it (its decision times against gateway-agent's)
# Tests: sysbench's oltp_point_select and oltp_read_only on sbtest, and the agent workload
# (bench/agent/agent_point_select.lua, its own schema shop.customers with the PII columns of the shipped
# policy): agent_pii selects id, name, email, ssn by a random id, agent_plain only id, name; a new literal in
# every query's text; agent_cold is agent_pii with a new column alias in every query (a shape never seen). The agent tests run with --db-ps-mode disable only (they send text queries).
# Each case (test x threads x ps-mode) runs every target once per round, --rounds times, the targets in
# an order that rotates from round to round, so that drift of the shared machine hits all of them alike.
# Prints per case and target the median QPS over the rounds (with min-max), median p95 and mean latency,
# ratios of the medians to direct, HAProxy and the pass-through gateway, each round's ratio of every
# policy gateway to the pass-through one, and (with an OPA target) OPA's own decision time measured
# directly (bench/opa_latency.py).
# Writes the report to bench/results/<date>.md. Private servers on 127.0.0.1 only, stopped at exit.
# bench/policy.sh runs this with the policy targets.
#
# Usage: bench/run.sh [--time S] [--warmup S] [--jvm-warmup S] [--rounds N] [--threads "1 8 32"] [--ps-modes "auto disable"]
#                     [--tests "oltp_point_select oltp_read_only"] [--targets "direct haproxy gateway"]
#                     [--tables N] [--table-size N] [--client-tls on|off] [--gateway-tls auto|off] [--out FILE]
#                     [--baseline-jar FILE]
#   --time        measured seconds per run (default 20)
#   --warmup      seconds of an unmeasured run before each measured run (default 5; 0 = none)
#   --jvm-warmup  seconds of unmeasured load per gateway and test once before all cases (default 10)
#   --rounds      measured runs of each target per case, interleaved with the other targets (default 3;
#                 every target runs in every position of the order when it is a multiple of the targets)
#   --client-tls  TLS between sysbench and MariaDB/HAProxy, to compare like with like against the
#                 gateway (default on)
#   --baseline-jar the agentgate.jar target gateway-baseline runs (e.g. built from the commit before a change:
#                 git worktree add /tmp/base HEAD~1 && (cd /tmp/base && mvn -q -pl gateway -am package -DskipTests))
#   --gateway-tls auto: TLS, unless sysbench cannot log in to the gateway over TLS; then (and with off)
#                 the gateway runs with allow_insecure_token_login: true (dev_mode) and sysbench without TLS
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"

BENCH_TIME=20
BENCH_WARMUP=5
BENCH_JVM_WARMUP=10
BENCH_ROUNDS=3
BENCH_THREADS="1 8 32"
BENCH_PS_MODES="auto disable"
BENCH_TESTS="oltp_point_select oltp_read_only"
BENCH_TARGETS="direct haproxy gateway"
BENCH_TABLES=4
BENCH_TABLE_SIZE=10000
BENCH_CLIENT_TLS=on
BENCH_GATEWAY_TLS=auto
BENCH_OUT="${AG_ROOT}/bench/results/$(date -u +%Y-%m-%d).md"
BENCH_BASELINE_JAR=""

BENCH_DIR="${AG_ROOT}/run/bench"
DB_DIR="${BENCH_DIR}/mariadb"
OPA_DIR="${BENCH_DIR}/opa"
OPA_EXAMPLE="${AG_ROOT}/docs/schemas/examples/agent-select-orders.json"
SYSBENCH_CWD="${BENCH_DIR}/sysbench"   # sysbench --mysql-ssl=on reads its client files from its working directory
LOG_DIR="${BENCH_DIR}/logs"
TARGET="sbtest"
TARGET_NAMES="direct haproxy gateway gateway-opa gateway-opa-cache gateway-agent gateway-baseline gateway-agent-baseline"
declare -A PORT=() RESULT=() ORDER=()
GATEWAY_TLS=on
GATEWAY_TARGETS=""
OPA_LATENCY=""
NOTES=()

bench_main() {
  bench_parse_args "$@"
  trap bench_cleanup EXIT
  ag_have_commands sysbench haproxy mariadbd openssl || ag_die "missing tools: run .ci/run or ./quickstart.sh once to install them"
  rm -rf "${BENCH_DIR}"
  mkdir -p "${LOG_DIR}" "${SYSBENCH_CWD}" "$(dirname "${BENCH_OUT}")"
  bench_start_mariadb
  bench_prepare_tables
  [[ " ${BENCH_TESTS} " != *" agent_"* ]] || bench_prepare_agent_schema
  [[ " ${BENCH_TARGETS} " != *" haproxy "* ]] || bench_start_haproxy
  [[ " ${BENCH_TARGETS} " != *" gateway-opa"* && " ${BENCH_TARGETS} " != *" gateway-agent"* ]] || bench_start_opa
  [[ -z "${GATEWAY_TARGETS}" ]] || { bench_start_gateways; bench_warm_gateways; }
  bench_run_all
  bench_report | tee "${BENCH_OUT}"
  ag_step "Written to ${BENCH_OUT#"${AG_ROOT}"/} (sysbench logs in run/bench/logs)"
}

bench_parse_args() {
  while (( $# )); do
    if [[ "$1" == -h || "$1" == --help ]]; then sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
    (( $# >= 2 )) || ag_die "option $1 needs a value (see the usage at the top of bench/run.sh)"
    case "$1" in
      --time) BENCH_TIME="$2" ;;
      --warmup) BENCH_WARMUP="$2" ;;
      --jvm-warmup) BENCH_JVM_WARMUP="$2" ;;
      --rounds) BENCH_ROUNDS="$2" ;;
      --threads) BENCH_THREADS="$2" ;;
      --ps-modes) BENCH_PS_MODES="$2" ;;
      --tests) BENCH_TESTS="$2" ;;
      --targets) BENCH_TARGETS="$2" ;;
      --tables) BENCH_TABLES="$2" ;;
      --table-size) BENCH_TABLE_SIZE="$2" ;;
      --client-tls) BENCH_CLIENT_TLS="$2" ;;
      --gateway-tls) BENCH_GATEWAY_TLS="$2" ;;
      --out) BENCH_OUT="$2" ;;
      --baseline-jar) BENCH_BASELINE_JAR="$2" ;;
      *) ag_die "unknown option $1 (see the usage at the top of bench/run.sh)" ;;
    esac
    shift 2
  done
  [[ "${BENCH_TIME}" =~ ^[1-9][0-9]*$ ]] || ag_die "--time must be a positive number of seconds, was '${BENCH_TIME}'"
  [[ "${BENCH_WARMUP}" =~ ^[0-9]+$ ]] || ag_die "--warmup must be a number of seconds, was '${BENCH_WARMUP}'"
  [[ "${BENCH_JVM_WARMUP}" =~ ^[0-9]+$ ]] || ag_die "--jvm-warmup must be a number of seconds, was '${BENCH_JVM_WARMUP}'"
  [[ "${BENCH_ROUNDS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rounds must be a positive number, was '${BENCH_ROUNDS}'"
  [[ "${BENCH_CLIENT_TLS}" =~ ^(on|off)$ ]] || ag_die "--client-tls must be on or off, was '${BENCH_CLIENT_TLS}'"
  [[ "${BENCH_GATEWAY_TLS}" =~ ^(auto|off)$ ]] || ag_die "--gateway-tls must be auto or off, was '${BENCH_GATEWAY_TLS}'"
  local target
  for target in ${BENCH_TARGETS}; do
    [[ " ${TARGET_NAMES} " == *" ${target} "* ]] || ag_die "--targets: unknown target '${target}' (${TARGET_NAMES})"
    [[ "${target}" != gateway* ]] || GATEWAY_TARGETS+="${GATEWAY_TARGETS:+ }${target}"
  done
  if [[ " ${BENCH_TARGETS} " == *" gateway-baseline "* || " ${BENCH_TARGETS} " == *" gateway-agent-baseline "* ]]; then
    [[ -f "${BENCH_BASELINE_JAR}" ]] || ag_die "targets gateway-baseline and gateway-agent-baseline need --baseline-jar FILE (an agentgate.jar), was '${BENCH_BASELINE_JAR}'"
    BENCH_BASELINE_JAR="$(cd "$(dirname "${BENCH_BASELINE_JAR}")" && pwd)/$(basename "${BENCH_BASELINE_JAR}")"
  elif [[ -n "${BENCH_BASELINE_JAR}" ]]; then
    ag_die "--baseline-jar is only used by targets gateway-baseline and gateway-agent-baseline: add one to --targets"
  fi
}

bench_cleanup() {
  ag_phase_summary
  local target
  for target in ${GATEWAY_TARGETS}; do ag_gateway_stop "${BENCH_DIR}/${target}"; done
  ag_opa_stop "${OPA_DIR}"
  ag_haproxy_stop "${BENCH_DIR}"
  ag_mariadb_stop "${DB_DIR}"
}

bench_start_mariadb() {
  ag_phase_start "MariaDB (private, run/bench/mariadb)"
  PORT[direct]="$(ag_free_port 23306)"
  ag_tls_generate "${BENCH_DIR}/tls"
  cp "${BENCH_DIR}/tls/client-key.pem" "${BENCH_DIR}/tls/client-cert.pem" "${SYSBENCH_CWD}/"
  cp "${BENCH_DIR}/tls/ca-cert.pem" "${SYSBENCH_CWD}/cacert.pem"
  ag_mariadb_start "${DB_DIR}" "${PORT[direct]}" --innodb-buffer-pool-size=256M \
    --ssl-cert="${BENCH_DIR}/tls/server-cert.pem" --ssl-key="${BENCH_DIR}/tls/server-key.pem" \
    --ssl-ca="${BENCH_DIR}/tls/ca-cert.pem"
  ag_mariadb_root "${DB_DIR}" -e "CREATE DATABASE ${TARGET}"
  ag_mariadb_service_user "${DB_DIR}" agentgate_svc "${BENCH_DIR}/service-password" SELECT "${TARGET}.*"
  ag_phase_end
}

bench_prepare_tables() {
  ag_phase_start "sysbench prepare (${BENCH_TABLES} tables x ${BENCH_TABLE_SIZE} rows)"
  sysbench oltp_read_only --db-driver=mysql --mysql-socket="${DB_DIR}/mariadb.sock" --mysql-user=root \
    --mysql-db="${TARGET}" --tables="${BENCH_TABLES}" --table-size="${BENCH_TABLE_SIZE}" prepare >"${LOG_DIR}/prepare.log" 2>&1 \
    || { tail -n 20 "${LOG_DIR}/prepare.log" >&2; ag_die "sysbench prepare failed"; }
  ag_phase_end
}

# The agent workload's schema (shop.customers, --table-size rows), readable by the service account.
bench_prepare_agent_schema() {
  ag_phase_start "agent schema (shop.customers x ${BENCH_TABLE_SIZE} rows)"
  sysbench "${AG_ROOT}/bench/agent/agent_point_select.lua" --db-driver=mysql --mysql-socket="${DB_DIR}/mariadb.sock" \
    --mysql-user=root --table-size="${BENCH_TABLE_SIZE}" prepare >"${LOG_DIR}/prepare-agent.log" 2>&1 \
    || { tail -n 20 "${LOG_DIR}/prepare-agent.log" >&2; ag_die "agent schema prepare failed"; }
  ag_mariadb_root "${DB_DIR}" -e "GRANT SELECT ON shop.* TO 'agentgate_svc'@'127.0.0.1'"
  ag_phase_end
}

bench_start_haproxy() {
  ag_phase_start "HAProxy (TCP mode)"
  PORT[haproxy]="$(ag_free_port 23406)"
  ag_haproxy_start "${BENCH_DIR}" "${LOG_DIR}/haproxy.log" "${PORT[haproxy]}" "${PORT[direct]}"
  ag_phase_end
}

# OPA with the shipped bundle (rego/) and the benchmark's allow-all rules (bench/policy, its own
# root), no decision or request logging; then OPA's own decision time, timed directly.
bench_start_opa() {
  ag_phase_start "OPA ${AG_OPA_VERSION} (allow-all bench/policy + the shipped bundle) and its decision time"
  ag_install_opa >/dev/null
  PORT[opa]="$(ag_free_port 28181)"
  ag_opa_bundle "${OPA_DIR}/bundle.tar.gz"
  ag_opa_start "${OPA_DIR}" "${PORT[opa]}" off "${OPA_DIR}/bundle.tar.gz" "${AG_ROOT}/bench/policy"
  OPA_LATENCY="$(python3 "${AG_ROOT}/bench/opa_latency.py" "${PORT[opa]}" "${OPA_EXAMPLE}" \
    agentgate_bench/allow agentgate_bench/allow_cached agentgate/decision)" || ag_die "bench/opa_latency.py failed"
  ag_note "rule | requests | round trip p50/p95/p99 us | OPA p50/p95 us"
  ag_note "${OPA_LATENCY//$'\n'/$'\n'    }"
  ag_phase_end
}

# Every gateway target with TLS; if sysbench (libmariadb) cannot log in that way, all of them
# restarted with allow_insecure_token_login: true (dev_mode) instead, and the report says so.
# They share one dev issuer key, so one token logs in to each.
bench_start_gateways() {
  ag_phase_start "agentgate: ${GATEWAY_TARGETS}"
  ag_build_jar
  local target port=23506 dir
  for target in ${GATEWAY_TARGETS}; do
    dir="${BENCH_DIR}/${target}"
    PORT[${target}]="$(ag_free_port "${port}")"; port=$(( PORT[${target}] + 1 ))
    if [[ "${target}" == gateway-* ]]; then   # the admin endpoint: decision times for the report
      PORT[${target}-admin]="$(ag_free_port "${port}")"; port=$(( PORT[${target}-admin] + 1 ))
    fi
    mkdir -p "${dir}"
    cp "${BENCH_DIR}/service-password" "${dir}/service-password"
    cp -r "${BENCH_DIR}/tls" "${dir}/tls"   # same CA as MariaDB: sysbench trusts one cacert.pem
    [[ ! -f "${BENCH_DIR}/dev-issuer.jwk.json" ]] || cp "${BENCH_DIR}/dev-issuer.jwk.json" "${dir}/"
    ag_gateway_prepare "${dir}"
    cp "${dir}/dev-issuer.jwk.json" "${BENCH_DIR}/dev-issuer.jwk.json"
  done
  # agent=true: the shipped policy's binding for dev tokens of AI agents (masking); the other gateways ignore it
  GATEWAY_TOKEN="$(ag_gateway_token "${BENCH_DIR}/dev-issuer.jwk.json" bench "$(bench_token_ttl)" agent=true)"
  if [[ "${BENCH_GATEWAY_TLS}" == off ]]; then
    bench_start_insecure_gateways "--gateway-tls off"
  elif ! { bench_start_gateways_with false && bench_login_probes on; }; then
    for target in ${GATEWAY_TARGETS}; do
      ag_gateway_stop "${BENCH_DIR}/${target}"
      mv "${BENCH_DIR}/${target}/gateway.log" "${LOG_DIR}/${target}-tls.log"
    done
    bench_start_insecure_gateways "sysbench could not log in to a gateway over TLS (see run/bench/logs/probe-*-tls-*.log and *-tls.log)"
  fi
  ag_phase_end
}

# bench_start_insecure_gateways WHY: the gateways with allow_insecure_token_login: true, sysbench without TLS.
bench_start_insecure_gateways() {
  NOTES+=("$1: the gateways ran with allow_insecure_token_login: true (dev_mode) and sysbench without TLS.")
  GATEWAY_TLS=off
  bench_start_gateways_with true
  bench_login_probes off || ag_die "sysbench cannot log in to a gateway without TLS (run/bench/logs/probe-*-plain-*.log)"
}

# bench_start_gateways_with INSECURE_LOGIN: writes each gateway's config and starts it.
bench_start_gateways_with() {
  local target policy
  for target in ${GATEWAY_TARGETS}; do
    mapfile -t policy < <(bench_gateway_policy "${target}")
    ag_gateway_write_config "${BENCH_DIR}/${target}/agentgate.yaml" "${PORT[${target}]}" "${TARGET}" \
      "${PORT[direct]}" "${TARGET}" "$1" "${policy[@]}"
    [[ -z "${PORT[${target}-admin]:-}" ]] \
      || printf 'admin:\n  enabled: true\n  port: %s\n' "${PORT[${target}-admin]}" >>"${BENCH_DIR}/${target}/agentgate.yaml"
    if [[ "${target}" == *-baseline ]]; then
      AGENTGATE_JAR="${BENCH_BASELINE_JAR}" ag_gateway_start "${BENCH_DIR}/${target}" "${PORT[${target}]}" || return 1
    else
      ag_gateway_start "${BENCH_DIR}/${target}" "${PORT[${target}]}" || return 1
    fi
  done
}

# bench_gateway_policy TARGET: the OPA URL and policy settings of a gateway target, one per line
# (nothing: the policy disabled).
bench_gateway_policy() {
  local opa_url="http://127.0.0.1:${PORT[opa]:-}"
  case "$1" in
    gateway-opa) printf '%s\n' "${opa_url}" "decision_path: agentgate_bench/allow" "cache_max_entries: 0" ;;
    gateway-opa-cache) printf '%s\n' "${opa_url}" "decision_path: agentgate_bench/allow_cached" ;;
    gateway-agent | gateway-agent-baseline) printf '%s\n' "${opa_url}" ;;
  esac
}

# bench_login_probes TLS: every gateway answers sysbench.
bench_login_probes() {
  local target
  for target in ${GATEWAY_TARGETS}; do bench_login_probe "${target}" "$1" || return 1; done
}

# The JVM compiles its hot paths only under load: each gateway gets --jvm-warmup seconds of every
# test (unmeasured) before the first measured case, with --db-ps-mode=disable: every statement then
# goes through analysis and policy (with prepared statements only each PREPARE does).
bench_warm_gateways() {
  (( BENCH_JVM_WARMUP > 0 )) || return 0
  ag_phase_start "JVM warm-up: ${BENCH_JVM_WARMUP}s per gateway and test (ps-mode disable)"
  local target test threads
  read -r threads _ <<<"${BENCH_THREADS}"
  for target in ${GATEWAY_TARGETS}; do
    for test in ${BENCH_TESTS}; do
      bench_sysbench "${target}" "${GATEWAY_TLS}" "${test}" disable "${threads}" "${BENCH_JVM_WARMUP}" \
        >"${LOG_DIR}/jvm-warmup-${target}-${test}.log" 2>&1 \
        || NOTES+=("JVM warm-up of ${target} with ${test} failed: see run/bench/logs/jvm-warmup-${target}-${test}.log")
    done
  done
  ag_phase_end
}

# Minutes the token must stay valid: every run of every case (with warm-up) plus a margin.
bench_token_ttl() {
  local cases warmups
  cases=$(( $(wc -w <<<"${BENCH_TESTS}") * $(wc -w <<<"${BENCH_PS_MODES}") * $(wc -w <<<"${BENCH_THREADS}") * $(wc -w <<<"${BENCH_TARGETS}") * BENCH_ROUNDS ))
  warmups=$(( $(wc -w <<<"${BENCH_TESTS}") * $(wc -w <<<"${GATEWAY_TARGETS}") ))
  echo "$(( (cases * (BENCH_TIME + BENCH_WARMUP + 15) + warmups * BENCH_JVM_WARMUP) / 60 + 15 ))m"
}

# bench_login_probe TARGET TLS: a one-second one-thread point-select run; up to 3 tries, and a
# failed try is reported even when a later one succeeds.
bench_login_probe() {
  local name="probe-$1-plain" try
  [[ "$2" == off ]] || name="probe-$1-tls"
  for try in 1 2 3; do
    if bench_sysbench "$1" "$2" "$(bench_probe_test "$1")" auto 1 1 >"${LOG_DIR}/${name}-${try}.log" 2>&1; then
      (( try == 1 )) || NOTES+=("sysbench's login to the $1 (TLS $2) failed $(( try - 1 )) time(s) before it succeeded: run/bench/logs/${name}-1.log")
      return 0
    fi
  done
  return 1
}

# bench_probe_test TARGET: a test the target answers (the agent gateway's policy grants only the agent schema).
bench_probe_test() { [[ "$1" == gateway-agent* ]] && echo agent_plain || echo oltp_point_select; }

# bench_sysbench TARGET TLS TEST PS_MODE THREADS SECONDS: one sysbench run; output on stdout.
# Against a policy gateway, a refused statement (1142: e.g. no decision within the time limit, fail
# closed) does not end the run: sysbench counts it as an ignored error and restarts the event.
bench_sysbench() {
  local target="$1" tls="$2" test="$3" mode="$4" threads="$5" seconds="$6" user=agentgate_svc password ignore=()
  local script="${test}" database="${TARGET}" options=()
  password="$(cat "${BENCH_DIR}/service-password")"
  if [[ "${target}" == gateway* ]]; then user="${TARGET}"; password="${GATEWAY_TOKEN}"; fi
  [[ "${target}" != gateway-opa* && "${target}" != gateway-agent* ]] || ignore=(--mysql-ignore-errors=1142)
  if [[ "${test}" == agent_* ]]; then
    script="${AG_ROOT}/bench/agent/agent_point_select.lua"; database=shop; options=(--agent-columns="${test#agent_}")
  fi
  (cd "${SYSBENCH_CWD}" && timeout $(( seconds + 60 )) sysbench "${script}" "${options[@]}" --db-driver=mysql \
    --mysql-host=127.0.0.1 --mysql-port="${PORT[${target}]}" --mysql-user="${user}" --mysql-password="${password}" \
    --mysql-db="${database}" --mysql-ssl="${tls}" --db-ps-mode="${mode}" --threads="${threads}" --time="${seconds}" \
    --forced-shutdown=10 --tables="${BENCH_TABLES}" --table-size="${BENCH_TABLE_SIZE}" --report-interval=0 "${ignore[@]}" run)
}

# Each case: --rounds rounds, each running every target once (after its own warm-up run), the targets
# in an order rotated by one per round. RESULT[case|target|round] holds one run, RESULT[case|target]
# the case's summary over the rounds (bench_summarise), ORDER[case|round] the round's order.
bench_run_all() {
  local test mode threads round target order targets
  read -r -a targets <<<"${BENCH_TARGETS}"
  for test in ${BENCH_TESTS}; do
    for mode in ${BENCH_PS_MODES}; do
      for threads in ${BENCH_THREADS}; do
        ag_phase_start "${test} ps-mode=${mode} threads=${threads}"
        for (( round = 1; round <= BENCH_ROUNDS; round++ )); do
          order="$(bench_rotated $(( round - 1 )) "${targets[@]}")"
          ORDER["${test}|${mode}|${threads}|${round}"]="${order}"
          (( BENCH_ROUNDS == 1 )) || ag_note "round ${round}/${BENCH_ROUNDS}: ${order}"
          for target in ${order}; do
            bench_run_once "${test}" "${mode}" "${threads}" "${target}" "${round}"
          done
        done
        for target in ${BENCH_TARGETS}; do
          RESULT["${test}|${mode}|${threads}|${target}"]="$(bench_summarise "${test}|${mode}|${threads}|${target}")"
        done
        ag_phase_end
      done
    done
  done
}

# bench_rotated SHIFT ITEM...: the items, starting from the SHIFT-th (modulo their number).
bench_rotated() {
  local shift="$1" i rotated=()
  shift
  for (( i = 0; i < $#; i++ )); do
    rotated+=("${@:$(( (i + shift) % $# + 1 )):1}")
  done
  echo "${rotated[*]}"
}

# bench_run_once TEST PS_MODE THREADS TARGET ROUND: a warm-up run, then the measured run into RESULT.
bench_run_once() {
  local test="$1" mode="$2" threads="$3" target="$4" round="$5" tls log measured ticks buckets
  tls="${BENCH_CLIENT_TLS}"; [[ "${target}" != gateway* ]] || tls="${GATEWAY_TLS}"
  log="${LOG_DIR}/${test}-${mode}-${threads}-${target}-round${round}.log"
  if (( BENCH_WARMUP > 0 )); then
    bench_sysbench "${target}" "${tls}" "${test}" "${mode}" "${threads}" "${BENCH_WARMUP}" >"${log}.warmup" 2>&1 || true
  fi
  ticks="$(bench_cpu_ticks "${target}")"
  buckets="$(bench_decision_buckets "${target}")"
  if bench_sysbench "${target}" "${tls}" "${test}" "${mode}" "${threads}" "${BENCH_TIME}" >"${log}" 2>&1; then
    [[ -z "${ticks}" ]] || ticks=$(( $(bench_cpu_ticks "${target}") - ticks ))
    RESULT["${test}|${mode}|${threads}|${target}|${round}"]="$(bench_parse "${log}" "${ticks}") $(bench_decision_quantiles "${buckets}" "$(bench_decision_buckets "${target}")")"
  else
    RESULT["${test}|${mode}|${threads}|${target}|${round}"]="failed failed failed failed failed"
    NOTES+=("${target} ${test} ps-mode=${mode} threads=${threads} round ${round} failed: see run/bench/logs/$(basename "${log}")")
  fi
  read -r -a measured <<<"${RESULT["${test}|${mode}|${threads}|${target}|${round}"]}"
  ag_note "$(printf '%-18s qps=%-10s p95_ms=%-8s mean_us_per_query=%-6s refused=%-4s gateway_cpu_us_per_query=%-6s decision_p50_us=%-7s decision_p95_us=%s' "${target}" "${measured[@]}")"
}

# bench_decision_buckets TARGET: the cumulative buckets of the gateway's decision-time histogram
# (agentgate_policy_decision_duration_seconds on its admin endpoint) as "LE=COUNT ..."; nothing for a
# target without policy.
bench_decision_buckets() {
  [[ -n "${PORT[$1-admin]:-}" ]] || return 0
  curl -fsS --max-time 5 "http://127.0.0.1:${PORT[$1-admin]}/metrics" \
    | sed -n 's/^agentgate_policy_decision_duration_seconds_bucket{le="\([^"]*\)"} \([0-9.E+-]*\)$/\1=\2/p' | tr '\n' ' ' || true
}

# bench_decision_quantiles BEFORE AFTER: "P50_US P95_US" of the decisions made between two
# bench_decision_buckets readings, interpolated linearly within a bucket as Prometheus'
# histogram_quantile does (buckets 1-2-5 from 1 us); "n/a n/a" without decisions or readings.
bench_decision_quantiles() {
  awk -v before="$1" -v after="$2" 'BEGIN {
    n = split(after, a, " "); split(before, b, " ")
    for (i = 1; i <= n; i++) { split(a[i], x, "="); split(b[i], y, "="); le[i] = x[1]; count[i] = x[2] - y[2] }
    if (n == 0 || count[n] <= 0) { print "n/a n/a"; exit }
    printf "%s %s\n", quantile(0.50), quantile(0.95)
  }
  function quantile(q,   rank, i, lower, below) {
    rank = q * count[n]; lower = 0; below = 0
    for (i = 1; i <= n; i++) {
      if (count[i] >= rank) {
        if (le[i] == "+Inf") return ">" lower * 1000000
        return sprintf("%.1f", (lower + (le[i] - lower) * (rank - below) / (count[i] - below)) * 1000000)
      }
      lower = le[i]; below = count[i]
    }
  }'
}

# bench_cpu_ticks TARGET: CPU time (user + system, in clock ticks) the target's gateway process has
# used so far; nothing for a target that is no gateway.
bench_cpu_ticks() {
  [[ "$1" == gateway* ]] || return 0
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$(cat "${BENCH_DIR}/$1/gateway.pid")/stat"
}

# bench_summarise CASE|TARGET: "QPS P95_MS MEAN_US_PER_QUERY REFUSED CPU_US_PER_QUERY QPS_MIN QPS_MAX
# RUNS DECISION_P50_US DECISION_P95_US" over the rounds that did not fail: medians (of an even number of runs: the mean of the middle
# two), the refusals of all of them, and how many runs there were.
bench_summarise() {
  local round runs=()
  for (( round = 1; round <= BENCH_ROUNDS; round++ )); do
    [[ "${RESULT["$1|${round}"]}" == failed* ]] || runs+=("${RESULT["$1|${round}"]}")
  done
  if (( ${#runs[@]} == 0 )); then
    echo "failed failed failed failed failed failed failed 0 n/a n/a"
    return 0
  fi
  printf '%s\n' "${runs[@]}" | awk '
    function median(values, n,   i, j, v) {
      for (i = 2; i <= n; i++) { v = values[i]; for (j = i - 1; j >= 1 && values[j] > v; j--) values[j + 1] = values[j]; values[j + 1] = v }
      return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
    }
    { qps[NR] = $1 + 0; p95[NR] = $2 + 0; mean[NR] = $3 + 0; refused += $4; cpu[NR] = $5 + 0; if ($5 == "n/a") no_cpu = 1
      d50[NR] = $6 + 0; d95[NR] = $7 + 0; if ($6 !~ /^[0-9.]+$/ || $7 !~ /^[0-9.]+$/) no_decisions = 1
      if (NR == 1 || $1 + 0 < low) low = $1 + 0
      if (NR == 1 || $1 + 0 > high) high = $1 + 0 }
    END { printf "%.2f %.2f %.0f %d %s %.2f %.2f %d %s\n", median(qps, NR), median(p95, NR), median(mean, NR), refused,
            no_cpu ? "n/a" : sprintf("%.1f", median(cpu, NR)), low, high, NR,
            no_decisions ? "n/a n/a" : sprintf("%.1f %.1f", median(d50, NR), median(d95, NR)) }'
}

# bench_parse LOG [CPU_TICKS]: "QPS P95_MS MEAN_US_PER_QUERY REFUSED CPU_US_PER_QUERY" from sysbench's
# summary (the mean latency of an event divided by its queries: 1 for a point select, 16 for a
# read-only transaction; REFUSED: statements the gateway refused, sysbench's ignored errors;
# CPU_US_PER_QUERY: the gateway's CPU ticks during the run per query, n/a without them).
bench_parse() {
  awk -v ticks="${2:-}" -v hz="$(getconf CLK_TCK)" '
       /^ *transactions:/ { tx = $2 } /^ *queries:/ { q = $2; qps = substr($3, 2) }
       /^ *ignored errors:/ { refused = $3 } /^ *avg:/ { avg = $2 } /95th percentile:/ { p95 = $3 }
       END { if (qps == "" || p95 == "" || tx + 0 == 0) print "failed failed failed failed failed"
             else printf "%s %s %.0f %d %s\n", qps, p95, avg * 1000 / (q / tx), refused,
                    ticks == "" ? "n/a" : sprintf("%.1f", ticks * 1000000 / hz / q) }' "$1"
}

bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'
}

# bench_median_ratio "RATIO...": the median of the ratios that are numbers, n/a without any.
bench_median_ratio() {
  echo "$1" | awk '{ for (f = 1; f <= NF; f++) if ($f != "n/a") v[++n] = $f + 0 }
    END { if (n == 0) { print "n/a"; exit }
          for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
          printf "%.2f\n", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

# bench_difference A B [FORMAT]: A - B (default format %+.0f), n/a unless both are positive numbers.
bench_difference() {
  awk -v a="$1" -v b="$2" -v format="${3:-%+.0f}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf format, a - b; else printf "n/a" }'
}

bench_report() {
  echo "# agentgate benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), everything on this one machine (sysbench, proxies, gateways, OPA, MariaDB share the CPUs); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(mariadbd --version | awk '{ print "MariaDB", $3 }'), $(haproxy -v | awk 'NR == 1 { print "HAProxy", $3 }'), $(sysbench --version), $(java -version 2>&1 | sed -n 1p)$( [[ -z "${PORT[opa]:-}" ]] || echo ", OPA ${AG_OPA_VERSION}")"
  echo "- sysbench: ${BENCH_TABLES} tables x ${BENCH_TABLE_SIZE} rows, --time=${BENCH_TIME}s per run after a ${BENCH_WARMUP}s warm-up run$( [[ -z "${GATEWAY_TARGETS}" ]] || echo "; each gateway had ${BENCH_JVM_WARMUP}s of each test first (JVM warm-up)")"
  echo "- ${BENCH_ROUNDS} round(s) per case: each round runs every target once, in an order rotated by one target per round (drift of the machine hits all targets alike); QPS, p95 and mean us/query are medians over the rounds, min-max the lowest and highest QPS, every ratio is of medians, refused counts all rounds"
  echo "- client TLS: direct and HAProxy ${BENCH_CLIENT_TLS}; gateways $( [[ -n "${GATEWAY_TARGETS}" ]] && echo "${GATEWAY_TLS}" || echo "not run"); gateway to MariaDB: plain TCP"
  echo "- targets: ${BENCH_TARGETS}"
  bench_report_legend
  echo "- QPS = sysbench queries per second; p95 = 95th percentile latency of a sysbench event in ms (a point select: 1 query; a read-only transaction: 16 queries); mean us/query = sysbench's mean event latency / queries per event; refused = statements the gateway refused (sysbench \`--mysql-ignore-errors=1142\` for the policy gateways: with an allow-all policy only a missing decision, e.g. over the 250 ms time limit, fails closed)"
  echo "- policy decision p50 / p95 us = how long each statement waited for its verdict in the gateway (from reaching the policy gate to the verdict: cache look-up, analysis, OPA round trip), read from the gateway's histogram agentgate_policy_decision_duration_seconds (admin /metrics) before and after each measured run and interpolated within its 1-2-5 buckets as Prometheus' histogram_quantile does; median over the rounds. The per-statement decision overhead of the policy gateways; the pass-through gateway has none"
  echo "- gateway CPU us/query = CPU time (user + system, from /proc/PID/stat) the gateway process used during a measured run, divided by the run's queries (includes sysbench's logins at its start): what one statement costs the gateway, less swayed by the other processes on the machine than QPS"
  echo
  bench_report_table
  bench_report_rounds
  bench_report_opa
  if (( ${#NOTES[@]} )); then
    echo
    printf -- '- Note: %s\n' "${NOTES[@]}"
  fi
}

# bench_jar_version JAR: when and from what the jar was built (its file time; the commit when it lies in a git checkout).
bench_jar_version() {
  local commit
  commit="$(git -C "$(dirname "$1")" log -1 --format='commit %h %s' 2>/dev/null | cut -c1-80)" || commit=""
  [[ -z "${commit}" || -z "$(git -C "$(dirname "$1")" status --porcelain --untracked-files=no 2>/dev/null)" ]] \
    || commit+=" + uncommitted changes"
  echo "built $(date -u -r "$1" '+%Y-%m-%d %H:%M UTC')${commit:+, checkout at ${commit}}"
}

bench_report_legend() {
  local target
  for target in ${BENCH_TARGETS}; do
    case "${target}" in
      haproxy) echo "  - haproxy: HAProxy in TCP mode in front of MariaDB" ;;
      gateway) echo "  - gateway: agentgate, policy disabled (policy.disabled: true, dev_mode): the pass-through relay" ;;
      gateway-opa) echo "  - gateway-opa: agentgate + OPA, allow-all rule agentgate_bench/allow (bench/policy), decision cache off (cache_max_entries: 0): every statement is analysed and sent to OPA" ;;
      gateway-opa-cache) echo "  - gateway-opa-cache: agentgate + OPA, allow-all rule agentgate_bench/allow_cached (cache_ttl_s: 300, cache_key: digest), decision cache on (default size): statements are analysed, OPA is asked once per digest" ;;
      gateway-baseline) echo "  - gateway-baseline: the pass-through relay (as gateway) of another build, ${BENCH_BASELINE_JAR} ($(bench_jar_version "${BENCH_BASELINE_JAR}")); gateway runs this checkout ($(bench_jar_version "${AG_JAR}")): ratios to gateway below 1 mean the checkout is faster" ;;
      gateway-agent-baseline) echo "  - gateway-agent-baseline: gateway-agent (the shipped policy, same OPA) run by another build, ${BENCH_BASELINE_JAR} ($(bench_jar_version "${BENCH_BASELINE_JAR}")); gateway-agent runs this checkout ($(bench_jar_version "${AG_JAR}"))" ;;
    esac
  done
}

# One row per case and target: medians over the rounds, QPS min-max; ratios of median QPS to direct
# and to HAProxy; for the policy gateways also to the pass-through gateway, with the mean latency and
# the gateway CPU time a query gained over it.
bench_report_table() {
  local test mode threads target r d h g versus_gateway versus_haproxy="" haproxy_header="" haproxy_align="" none="n/a n/a n/a n/a n/a n/a n/a 0 n/a n/a"
  if [[ " ${BENCH_TARGETS} " == *" haproxy "* ]]; then haproxy_header=" QPS vs HAProxy |"; haproxy_align="---:|"; fi
  echo "| test | ps-mode | threads | target | QPS | QPS min-max | p95 ms | mean us/query | refused | gateway CPU us/query | QPS vs direct |${haproxy_header} QPS vs pass-through | mean us/query over pass-through | gateway CPU us/query over pass-through | policy decision p50 / p95 us |"
  echo "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|${haproxy_align}---:|---:|---:|---:|"
  for test in ${BENCH_TESTS}; do
    for mode in ${BENCH_PS_MODES}; do
      for threads in ${BENCH_THREADS}; do
        read -r -a d <<<"${RESULT["${test}|${mode}|${threads}|direct"]:-${none}}"
        read -r -a h <<<"${RESULT["${test}|${mode}|${threads}|haproxy"]:-${none}}"
        read -r -a g <<<"${RESULT["${test}|${mode}|${threads}|gateway"]:-${none}}"
        for target in ${BENCH_TARGETS}; do
          read -r -a r <<<"${RESULT["${test}|${mode}|${threads}|${target}"]:-${none}}"
          [[ -z "${haproxy_header}" ]] || versus_haproxy=" $(bench_ratio "${r[0]}" "${h[0]}") |"
          versus_gateway=("" "" "")
          [[ "${target}" != gateway-* ]] || versus_gateway=("$(bench_ratio "${r[0]}" "${g[0]}")" "$(bench_difference "${r[2]}" "${g[2]}")" "$(bench_difference "${r[4]}" "${g[4]}" %+.1f)")
          echo "| ${test} | ${mode} | ${threads} | ${target} | ${r[0]} | $(bench_range "${r[@]}") | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]/n\/a/} | $(bench_ratio "${r[0]}" "${d[0]}") |${versus_haproxy} ${versus_gateway[0]} | ${versus_gateway[1]} | ${versus_gateway[2]} | $(bench_decision_cell "${r[8]:-n/a}" "${r[9]:-n/a}") |"
        done
      done
    done
  done
}

# bench_decision_cell P50 P95: "P50 / P95" for a policy gateway, empty for the other targets.
bench_decision_cell() {
  [[ "$1" == n/a ]] || echo "$1 / $2"
}

# bench_range SUMMARY...: "MIN-MAX" QPS of a bench_summarise summary, with how many runs it is of
# when a round failed.
bench_range() {
  local run_count="${8:-0}"
  if [[ "$6" == failed || "$6" == n/a ]]; then echo "$6"; return 0; fi
  printf '%.0f-%.0f' "$6" "$7"
  (( run_count == BENCH_ROUNDS )) || printf ' (%d of %d runs)' "${run_count}" "${BENCH_ROUNDS}"
  echo
}

# With several rounds: every run's QPS in the order it ran, and each round's ratio of every policy
# gateway to the pass-through gateway, so that the spread behind the medians is visible.
bench_report_rounds() {
  (( BENCH_ROUNDS > 1 )) || return 0
  local test mode threads round target key run header="" align="" policy_targets="" row gateway_qps ratio
  local -A ratios=()
  for target in ${BENCH_TARGETS}; do
    if [[ "${target}" == gateway* ]]; then header+=" ${target} QPS (CPU us/query) |"; else header+=" ${target} QPS |"; fi
    align+="---:|"
    if [[ "${target}" == gateway-* && " ${BENCH_TARGETS} " == *" gateway "* ]]; then
      policy_targets+="${policy_targets:+ }${target}"; header+=" ${target} / gateway |"; align+="---:|"
    fi
  done
  echo
  echo "## Per round"
  echo
  echo "QPS of every run (for a gateway also its CPU us/query); the order is the order the targets ran in within the round."
  echo "The row *median* repeats the medians of the table above; in the ratio columns it is the median of the rounds' ratios."
  echo
  echo "| test | ps-mode | threads | round | order |${header}"
  echo "|---|---|---:|---:|---|${align}"
  for test in ${BENCH_TESTS}; do
    for mode in ${BENCH_PS_MODES}; do
      for threads in ${BENCH_THREADS}; do
        key="${test}|${mode}|${threads}"
        ratios=()
        for (( round = 1; round <= BENCH_ROUNDS; round++ )); do
          row="| ${test} | ${mode} | ${threads} | ${round} | ${ORDER["${key}|${round}"]} |"
          read -r gateway_qps _ <<<"${RESULT["${key}|gateway|${round}"]:-n/a}"
          for target in ${BENCH_TARGETS}; do
            read -r -a run <<<"${RESULT["${key}|${target}|${round}"]}"
            if [[ "${target}" == gateway* ]]; then row+=" ${run[0]} (${run[4]}) |"; else row+=" ${run[0]} |"; fi
            [[ " ${policy_targets} " == *" ${target} "* ]] || continue
            ratio="$(bench_ratio "${run[0]}" "${gateway_qps}")"
            row+=" ${ratio} |"; ratios[${target}]+=" ${ratio}"
          done
          echo "${row}"
        done
        row="| ${test} | ${mode} | ${threads} | median | |"
        for target in ${BENCH_TARGETS}; do
          read -r -a run <<<"${RESULT["${key}|${target}"]}"
          if [[ "${target}" == gateway* ]]; then row+=" ${run[0]} (${run[4]}) |"; else row+=" ${run[0]} |"; fi
          [[ " ${policy_targets} " != *" ${target} "* ]] || row+=" $(bench_median_ratio "${ratios[${target}]}") |"
        done
        echo "${row}"
      done
    done
  done
}

bench_report_opa() {
  [[ -n "${OPA_LATENCY}" ]] || return 0
  cat <<TEXT

## Decision time in OPA, timed directly (bench/opa_latency.py)

Method: python3 \`http.client\`, one keep-alive connection to OPA on loopback, requests one after another,
200 unmeasured then 2000 measured, input \`docs/schemas/examples/agent-select-orders.json\` (a read-only agent's
SELECT with full statement facts). *round trip* is measured by the client around each request (includes
Python's HTTP handling: an upper bound); *OPA* is OPA's own handler time for the request
(\`?metrics=true\`, \`timer_server_handler_ns\`: JSON decoding of the input, evaluation, encoding). Measured
while no sysbench load ran. \`agentgate/decision\` is the shipped policy (rego/) for comparison.

| rule | requests | round trip p50 us | round trip p95 us | round trip p99 us | OPA p50 us | OPA p95 us |
|---|---:|---:|---:|---:|---:|---:|
${OPA_LATENCY}
TEXT
}

bench_main "$@"
