#!/usr/bin/env bash
# Benchmark: sysbench oltp_point_select and oltp_read_only against (a) MariaDB directly, (b) HAProxy
# in TCP mode in front of it, (c) agentgate in front of it, in one run on the same prepared tables.
# Prints QPS and p95 latency per case and the gateway/direct and gateway/HAProxy ratios, and writes
# the table to bench/results/<date>.md. Private servers on 127.0.0.1 only, all stopped at exit.
#
# Usage: bench/run.sh [--time S] [--warmup S] [--threads "1 8 32"] [--ps-modes "auto disable"]
#                     [--tests "oltp_point_select oltp_read_only"] [--targets "direct haproxy gateway"]
#                     [--tables N] [--table-size N] [--client-tls on|off] [--gateway-tls auto|off] [--out FILE]
#   --time        measured seconds per case (default 20)
#   --warmup      seconds of an unmeasured run before each measured case (default 5; 0 = none)
#   --client-tls  TLS between sysbench and MariaDB/HAProxy, to compare like with like against the
#                 gateway (default on)
#   --gateway-tls auto: TLS, unless sysbench cannot log in to the gateway over TLS; then (and with off)
#                 the gateway runs with allow_insecure_token_login: true (dev_mode) and sysbench without TLS
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"

BENCH_TIME=20
BENCH_WARMUP=5
BENCH_THREADS="1 8 32"
BENCH_PS_MODES="auto disable"
BENCH_TESTS="oltp_point_select oltp_read_only"
BENCH_TARGETS="direct haproxy gateway"
BENCH_TABLES=4
BENCH_TABLE_SIZE=10000
BENCH_CLIENT_TLS=on
BENCH_GATEWAY_TLS=auto
BENCH_OUT="${AG_ROOT}/bench/results/$(date -u +%Y-%m-%d).md"

BENCH_DIR="${AG_ROOT}/run/bench"
DB_DIR="${BENCH_DIR}/mariadb"
GATEWAY_DIR="${BENCH_DIR}/gateway"
SYSBENCH_CWD="${BENCH_DIR}/sysbench"   # sysbench --mysql-ssl=on reads its client files from its working directory
LOG_DIR="${BENCH_DIR}/logs"
TARGET="sbtest"
declare -A PORT=() RESULT=()
GATEWAY_TLS=on
NOTES=()

bench_main() {
  bench_parse_args "$@"
  trap bench_cleanup EXIT
  ag_have_commands sysbench haproxy mariadbd openssl || ag_die "missing tools: run .ci/run or ./quickstart.sh once to install them"
  rm -rf "${BENCH_DIR}"
  mkdir -p "${LOG_DIR}" "${SYSBENCH_CWD}" "$(dirname "${BENCH_OUT}")"
  bench_start_mariadb
  bench_prepare_tables
  [[ " ${BENCH_TARGETS} " != *" haproxy "* ]] || bench_start_haproxy
  [[ " ${BENCH_TARGETS} " != *" gateway "* ]] || bench_start_gateway
  bench_run_all
  bench_report | tee "${BENCH_OUT}"
  ag_step "Written to ${BENCH_OUT#"${AG_ROOT}"/} (sysbench logs in run/bench/logs)"
}

bench_parse_args() {
  while (( $# )); do
    if [[ "$1" == -h || "$1" == --help ]]; then sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
    (( $# >= 2 )) || ag_die "option $1 needs a value (see the usage at the top of bench/run.sh)"
    case "$1" in
      --time) BENCH_TIME="$2" ;;
      --warmup) BENCH_WARMUP="$2" ;;
      --threads) BENCH_THREADS="$2" ;;
      --ps-modes) BENCH_PS_MODES="$2" ;;
      --tests) BENCH_TESTS="$2" ;;
      --targets) BENCH_TARGETS="$2" ;;
      --tables) BENCH_TABLES="$2" ;;
      --table-size) BENCH_TABLE_SIZE="$2" ;;
      --client-tls) BENCH_CLIENT_TLS="$2" ;;
      --gateway-tls) BENCH_GATEWAY_TLS="$2" ;;
      --out) BENCH_OUT="$2" ;;
      *) ag_die "unknown option $1 (see the usage at the top of bench/run.sh)" ;;
    esac
    shift 2
  done
  [[ "${BENCH_TIME}" =~ ^[1-9][0-9]*$ ]] || ag_die "--time must be a positive number of seconds, was '${BENCH_TIME}'"
  [[ "${BENCH_WARMUP}" =~ ^[0-9]+$ ]] || ag_die "--warmup must be a number of seconds, was '${BENCH_WARMUP}'"
  [[ "${BENCH_CLIENT_TLS}" =~ ^(on|off)$ ]] || ag_die "--client-tls must be on or off, was '${BENCH_CLIENT_TLS}'"
  [[ "${BENCH_GATEWAY_TLS}" =~ ^(auto|off)$ ]] || ag_die "--gateway-tls must be auto or off, was '${BENCH_GATEWAY_TLS}'"
  local target
  for target in ${BENCH_TARGETS}; do
    [[ "${target}" =~ ^(direct|haproxy|gateway)$ ]] || ag_die "--targets: unknown target '${target}' (direct, haproxy, gateway)"
  done
}

bench_cleanup() {
  ag_phase_summary
  ag_gateway_stop "${GATEWAY_DIR}"
  ag_stop_pidfile "${BENCH_DIR}/haproxy.pid" "haproxy"
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

bench_start_haproxy() {
  ag_phase_start "HAProxy (TCP mode)"
  PORT[haproxy]="$(ag_free_port 23406)"
  cat >"${BENCH_DIR}/haproxy.cfg" <<CFG
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen mariadb
  bind 127.0.0.1:${PORT[haproxy]}
  server mariadb 127.0.0.1:${PORT[direct]}
CFG
  ag_start_background "${BENCH_DIR}/haproxy.pid" "${LOG_DIR}/haproxy.log" haproxy -db -f "${BENCH_DIR}/haproxy.cfg"
  ag_wait_for_port "${PORT[haproxy]}" "${BENCH_DIR}/haproxy.pid" "haproxy" "${LOG_DIR}/haproxy.log" 20
  ag_phase_end
}

# The gateway with TLS; if sysbench (libmariadb) cannot log in that way, a gateway started with
# allow_insecure_token_login: true (dev_mode) instead, and the report says so.
bench_start_gateway() {
  ag_phase_start "agentgate"
  ag_build_jar
  PORT[gateway]="$(ag_free_port 23506)"
  mkdir -p "${GATEWAY_DIR}"
  cp "${BENCH_DIR}/service-password" "${GATEWAY_DIR}/service-password"
  cp -r "${BENCH_DIR}/tls" "${GATEWAY_DIR}/tls"   # same CA as MariaDB: sysbench trusts one cacert.pem
  ag_gateway_prepare "${GATEWAY_DIR}"
  GATEWAY_TOKEN="$(ag_gateway_token "${GATEWAY_DIR}/dev-issuer.jwk.json" bench "$(bench_token_ttl)")"
  if [[ "${BENCH_GATEWAY_TLS}" == off ]]; then
    bench_start_insecure_gateway "--gateway-tls off"
  elif ! { bench_start_gateway_with false && bench_login_probe gateway on; }; then
    ag_gateway_stop "${GATEWAY_DIR}"
    mv "${GATEWAY_DIR}/gateway.log" "${LOG_DIR}/gateway-tls.log"
    bench_start_insecure_gateway "sysbench could not log in to the gateway over TLS (see run/bench/logs/probe-gateway-tls-*.log and gateway-tls.log)"
  fi
  ag_phase_end
}

# bench_start_insecure_gateway WHY: the gateway with allow_insecure_token_login: true, sysbench without TLS.
bench_start_insecure_gateway() {
  NOTES+=("$1: the gateway ran with allow_insecure_token_login: true (dev_mode) and sysbench without TLS.")
  GATEWAY_TLS=off
  bench_start_gateway_with true
  bench_login_probe gateway off || ag_die "sysbench cannot log in to the gateway without TLS (run/bench/logs/probe-gateway-plain-*.log)"
}

bench_start_gateway_with() {
  ag_gateway_write_config "${GATEWAY_DIR}/agentgate.yaml" "${PORT[gateway]}" "${TARGET}" "${PORT[direct]}" "${TARGET}" "$1"
  ag_gateway_start "${GATEWAY_DIR}" "${PORT[gateway]}"
}

# Minutes the token must stay valid: every case (with warm-up) plus a margin.
bench_token_ttl() {
  local cases
  cases=$(( $(wc -w <<<"${BENCH_TESTS}") * $(wc -w <<<"${BENCH_PS_MODES}") * $(wc -w <<<"${BENCH_THREADS}") * 3 ))
  echo "$(( cases * (BENCH_TIME + BENCH_WARMUP + 15) / 60 + 15 ))m"
}

# bench_login_probe TARGET TLS: a one-second one-thread point-select run; up to 3 tries, and a
# failed try is reported even when a later one succeeds.
bench_login_probe() {
  local name="probe-$1-plain" try
  [[ "$2" == off ]] || name="probe-$1-tls"
  for try in 1 2 3; do
    if bench_sysbench "$1" "$2" oltp_point_select auto 1 1 >"${LOG_DIR}/${name}-${try}.log" 2>&1; then
      (( try == 1 )) || NOTES+=("sysbench's login to the $1 (TLS $2) failed $(( try - 1 )) time(s) before it succeeded: run/bench/logs/${name}-1.log")
      return 0
    fi
  done
  return 1
}

# bench_sysbench TARGET TLS TEST PS_MODE THREADS SECONDS: one sysbench run; output on stdout.
bench_sysbench() {
  local target="$1" tls="$2" test="$3" mode="$4" threads="$5" seconds="$6" user=agentgate_svc password
  password="$(cat "${BENCH_DIR}/service-password")"
  if [[ "${target}" == gateway ]]; then user="${TARGET}"; password="${GATEWAY_TOKEN}"; fi
  (cd "${SYSBENCH_CWD}" && timeout $(( seconds + 60 )) sysbench "${test}" --db-driver=mysql \
    --mysql-host=127.0.0.1 --mysql-port="${PORT[${target}]}" --mysql-user="${user}" --mysql-password="${password}" \
    --mysql-db="${TARGET}" --mysql-ssl="${tls}" --db-ps-mode="${mode}" --threads="${threads}" --time="${seconds}" \
    --forced-shutdown=10 --tables="${BENCH_TABLES}" --table-size="${BENCH_TABLE_SIZE}" --report-interval=0 run)
}

bench_run_all() {
  local test mode threads target tls log measured
  for test in ${BENCH_TESTS}; do
    for mode in ${BENCH_PS_MODES}; do
      for threads in ${BENCH_THREADS}; do
        ag_phase_start "${test} ps-mode=${mode} threads=${threads}"
        for target in ${BENCH_TARGETS}; do
          tls="${BENCH_CLIENT_TLS}"; [[ "${target}" != gateway ]] || tls="${GATEWAY_TLS}"
          log="${LOG_DIR}/${test}-${mode}-${threads}-${target}.log"
          if (( BENCH_WARMUP > 0 )); then
            bench_sysbench "${target}" "${tls}" "${test}" "${mode}" "${threads}" "${BENCH_WARMUP}" >"${log}.warmup" 2>&1 || true
          fi
          if bench_sysbench "${target}" "${tls}" "${test}" "${mode}" "${threads}" "${BENCH_TIME}" >"${log}" 2>&1; then
            RESULT["${test}|${mode}|${threads}|${target}"]="$(bench_parse "${log}")"
          else
            RESULT["${test}|${mode}|${threads}|${target}"]="failed failed"
            NOTES+=("${target} ${test} ps-mode=${mode} threads=${threads} failed: see run/bench/logs/$(basename "${log}")")
          fi
          read -r -a measured <<<"${RESULT["${test}|${mode}|${threads}|${target}"]}"
          ag_note "$(printf '%-8s qps=%-10s p95_ms=%s' "${target}" "${measured[0]}" "${measured[1]}")"
        done
        ag_phase_end
      done
    done
  done
}

# bench_parse LOG: "QPS P95_MS" from sysbench's summary.
bench_parse() {
  awk '/^ *queries:/ { qps = substr($3, 2) } /95th percentile:/ { p95 = $3 }
       END { if (qps == "" || p95 == "") print "failed failed"; else print qps, p95 }' "$1"
}

bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'
}

bench_report() {
  local test mode threads d h g
  echo "# agentgate benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), everything on this one machine (sysbench, HAProxy, gateway, MariaDB share the CPUs)"
  echo "- $(mariadbd --version | awk '{ print "MariaDB", $3 }'), $(haproxy -v | awk 'NR == 1 { print "HAProxy", $3 }'), $(sysbench --version), $(java -version 2>&1 | sed -n 1p)"
  echo "- sysbench: ${BENCH_TABLES} tables x ${BENCH_TABLE_SIZE} rows, --time=${BENCH_TIME}s per case after a ${BENCH_WARMUP}s warm-up run"
  echo "- client TLS: direct and HAProxy ${BENCH_CLIENT_TLS}; gateway $( [[ " ${BENCH_TARGETS} " == *" gateway "* ]] && echo "${GATEWAY_TLS}" || echo "not run"); gateway to MariaDB: plain TCP"
  echo "- QPS = sysbench queries per second; p95 = 95th percentile latency of a sysbench event in ms (a point select: 1 query; a read-only transaction: 16 queries)"
  echo
  echo "| test | ps-mode | threads | direct QPS | HAProxy QPS | gateway QPS | direct p95 ms | HAProxy p95 ms | gateway p95 ms | gateway/direct QPS | gateway/HAProxy QPS |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for test in ${BENCH_TESTS}; do
    for mode in ${BENCH_PS_MODES}; do
      for threads in ${BENCH_THREADS}; do
        read -r -a d <<<"${RESULT["${test}|${mode}|${threads}|direct"]:-n/a n/a}"
        read -r -a h <<<"${RESULT["${test}|${mode}|${threads}|haproxy"]:-n/a n/a}"
        read -r -a g <<<"${RESULT["${test}|${mode}|${threads}|gateway"]:-n/a n/a}"
        echo "| ${test} | ${mode} | ${threads} | ${d[0]} | ${h[0]} | ${g[0]} | ${d[1]} | ${h[1]} | ${g[1]} | $(bench_ratio "${g[0]}" "${d[0]}") | $(bench_ratio "${g[0]}" "${h[0]}") |"
      done
    done
  done
  if (( ${#NOTES[@]} )); then
    echo
    printf -- '- Note: %s\n' "${NOTES[@]}"
  fi
}

bench_main "$@"
