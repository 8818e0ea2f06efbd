#!/usr/bin/env bash
# Benchmark: rows per second of one large SELECT read to the end, side by side in one run:
#   direct               MariaDB itself (TLS)
#   haproxy              HAProxy in TCP mode in front of MariaDB (TLS from the client to MariaDB through it)
#   gateway-passthrough  agentgate with the policy disabled: the bare relay
#   gateway-unmasked     agentgate + OPA, the policy allows the SELECT without masks
#   gateway-masked       the same gateway and SELECT, a token whose policy decision masks 2 of 8 columns
#                        (email: strategy email, ssn: partial keep_last 4; bench/masking/mask_policy.rego)
#   baseline-passthrough, baseline-unmasked, baseline-masked
#                        the same three, run by another build's jar (--baseline-jar), to measure a change
# Text protocol (plain statement) and binary protocol (server-side prepared statement), both streamed
# by MySQL Connector/J; every column of every row read with getBytes (bench/masking/RowsPerSecond.java).
# Rows per second are those of the result (SELECT sent to last row); each read's login (and PREPARE) is timed apart;
# for HAProxy and the gateways, the proxy process's CPU time per row during the result (all its threads).
# Each round runs every target once, in a rotating order; the report gives medians over rounds and the
# ratios of the medians. Every read's rows are counted: a read that got fewer rows than the table has fails
# the run. For every gateway the report gives its peak heap use (jstat, sampled every 0.5 s), its peak
# resident memory (VmHWM) and whether it was still serving at the end. Writes bench/results/<date>-masking.md.
# Targets: masked >= 0.8 x unmasked, passthrough >= 0.95 x HAProxy.
#
# Usage: bench/masking.sh [--rows N] [--rounds N] [--warmup-rounds N] [--settle-reads N] [--targets "direct haproxy gateway-passthrough gateway-unmasked gateway-masked"]
#                         [--heap SIZE] [--baseline-jar FILE] [--out FILE]
#   --warmup-rounds N   unmeasured rounds first (default 3): the client's JIT settles there
#   --settle-reads N    before the rounds, read through each proxy until its JIT compilers took < 2 % of its CPU
#                       in a text and a binary read in a row, at most N reads (default 40), every target twice over:
#                       a gateway that has run a while has compiled its hot paths
#   --heap SIZE         run every gateway with that Java heap (-Xmx, e.g. 128m): a result larger than it must stream
#   --baseline-jar FILE the agentgate.jar the baseline-* targets run (e.g. built from the commit before a change)
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"

ROWS=300000
ROUNDS=5
WARMUP_ROUNDS=3
SETTLE_READS=40
TARGETS="direct haproxy gateway-passthrough gateway-unmasked gateway-masked"
ALL_TARGETS="direct haproxy gateway-passthrough gateway-unmasked gateway-masked baseline-passthrough baseline-unmasked baseline-masked"
HEAP=""
BASELINE_JAR=""
OUT="${AG_ROOT}/bench/results/$(date -u +%Y-%m-%d)-masking.md"
DIR="${AG_ROOT}/run/bench-masking"
DB="maskbench"
CONNECTOR="${HOME}/.m2/repository/com/mysql/mysql-connector-j/9.7.0/mysql-connector-j-9.7.0.jar"
SQL="SELECT id, name, email, ssn, city, created_at, balance, note FROM people"
# The gateways started, in order: name -> port. A gateway "gateway" serves gateway-unmasked and gateway-masked.
declare -A GATEWAY_PORT=()
GATEWAYS=()

main() {
  while (( $# )); do
    (( $# >= 2 )) || ag_die "option $1 needs a value (see the usage at the top of bench/masking.sh)"
    case "$1" in
      --rows) ROWS="$2" ;;
      --rounds) ROUNDS="$2" ;;
      --warmup-rounds) WARMUP_ROUNDS="$2" ;;
      --settle-reads) SETTLE_READS="$2" ;;
      --targets) TARGETS="$2" ;;
      --heap) HEAP="$2" ;;
      --baseline-jar) BASELINE_JAR="$2" ;;
      --out) OUT="$2" ;;
      *) ag_die "unknown option $1 (see the usage at the top of bench/masking.sh)" ;;
    esac
    shift 2
  done
  [[ "${ROWS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rows must be a positive number, was '${ROWS}'"
  [[ "${ROUNDS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rounds must be a positive number, was '${ROUNDS}'"
  [[ "${WARMUP_ROUNDS}" =~ ^[0-9]+$ ]] || ag_die "--warmup-rounds must be a number, was '${WARMUP_ROUNDS}'"
  [[ "${SETTLE_READS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--settle-reads must be a positive number, was '${SETTLE_READS}'"
  [[ -z "${HEAP}" || "${HEAP}" =~ ^[1-9][0-9]*[kmgKMG]$ ]] || ag_die "--heap must be a size such as 128m, was '${HEAP}'"
  local target
  for target in ${TARGETS}; do
    [[ " ${ALL_TARGETS} " == *" ${target} "* ]] || ag_die "--targets: unknown target '${target}' (${ALL_TARGETS})"
  done
  if wants baseline-passthrough baseline-unmasked baseline-masked; then
    [[ -f "${BASELINE_JAR}" ]] || ag_die "the baseline-* targets need --baseline-jar FILE (an agentgate.jar), was '${BASELINE_JAR}'"
  elif [[ -n "${BASELINE_JAR}" ]]; then
    ag_die "--baseline-jar is only used by the baseline-* targets: add them to --targets"
  fi
  ag_have_commands mariadbd openssl java jstat || ag_die "missing tools: run .ci/run or ./quickstart.sh once to install them"
  ! wants haproxy || ag_have_commands haproxy || ag_die "target haproxy needs haproxy installed"
  [[ -f "${CONNECTOR}" ]] || (cd "${AG_ROOT}" && mvn -B -q -ntp dependency:get -Dartifact=com.mysql:mysql-connector-j:9.7.0)
  trap cleanup EXIT
  rm -rf "${DIR}"; mkdir -p "${DIR}" "$(dirname "${OUT}")"
  start_mariadb
  ! wants haproxy || start_haproxy
  ! wants gateway-unmasked gateway-masked baseline-unmasked baseline-masked || start_opa
  start_gateways
  run_and_report | tee "${OUT}"
  ag_step "Written to ${OUT#"${AG_ROOT}"/}"
}

# wants TARGET...: whether any of them is among --targets.
wants() {
  local target
  for target in "$@"; do [[ " ${TARGETS} " != *" ${target} "* ]] || return 0; done
  return 1
}

cleanup() {
  local name
  for name in "${GATEWAYS[@]}"; do
    ag_stop_pidfile "${DIR}/${name}/jstat.pid" "jstat"
    ag_gateway_stop "${DIR}/${name}"
  done
  ag_opa_stop "${DIR}/opa"
  ag_haproxy_stop "${DIR}/haproxy"
  ag_mariadb_stop "${DIR}/mariadb"
}

start_mariadb() {
  ag_phase_start "MariaDB with ${DB}.people (${ROWS} rows x 8 columns)"
  DB_PORT="$(ag_free_port 24306)"
  ag_tls_generate "${DIR}/tls"
  ag_mariadb_start "${DIR}/mariadb" "${DB_PORT}" --innodb-buffer-pool-size=256M \
    --ssl-cert="${DIR}/tls/server-cert.pem" --ssl-key="${DIR}/tls/server-key.pem" --ssl-ca="${DIR}/tls/ca-cert.pem"
  ag_mariadb_root "${DIR}/mariadb" -e "CREATE DATABASE ${DB}; USE ${DB};
    CREATE TABLE ${DB}.people (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn CHAR(11),
      city VARCHAR(40), created_at DATETIME, balance DECIMAL(10,2), note VARCHAR(100));
    INSERT INTO ${DB}.people SELECT seq, CONCAT('person ', seq), CONCAT('user', seq, '@example.com'),
      CONCAT(LPAD(seq MOD 1000, 3, '0'), '-', LPAD(seq MOD 100, 2, '0'), '-', LPAD(seq MOD 10000, 4, '0')),
      ELT(1 + seq MOD 4, 'Berlin', 'Lisbon', 'Oslo', 'Rome'), '2024-01-01 00:00:00' + INTERVAL seq SECOND,
      (seq MOD 100000) / 100, REPEAT('x', 20 + seq MOD 40) FROM seq_1_to_${ROWS};"
  ag_mariadb_service_user "${DIR}/mariadb" agentgate_svc "${DIR}/service-password" SELECT "${DB}.*"
  ag_phase_end
}

start_haproxy() {
  ag_phase_start "HAProxy (TCP mode)"
  HAPROXY_PORT="$(ag_free_port 23506)"
  ag_haproxy_start "${DIR}/haproxy" "${DIR}/haproxy/haproxy.log" "${HAPROXY_PORT}" "${DB_PORT}"
  ag_phase_end
}

start_opa() {
  ag_phase_start "OPA ${AG_OPA_VERSION} with bench/masking/mask_policy.rego"
  ag_install_opa >/dev/null
  OPA_PORT="$(ag_free_port 28281)"
  mkdir -p "${DIR}/opa/policy"
  cp "${AG_ROOT}/bench/masking/mask_policy.rego" "${DIR}/opa/policy/"
  ag_opa_start "${DIR}/opa" "${OPA_PORT}" off "${DIR}/opa/policy"
  ag_phase_end
}

# The gateways the targets need, all with one dev issuer key, so one token of each kind logs in to any.
start_gateways() {
  ag_phase_start "agentgate gateways$( [[ -z "${HEAP}" ]] || echo ", Java heap ${HEAP}")"
  ag_build_jar
  ag_agentgate dev keygen --out "${DIR}/dev-issuer.jwk.json" >/dev/null
  ag_gateway_token "${DIR}/dev-issuer.jwk.json" bench-unmasked 2h >"${DIR}/token-unmasked"
  ag_gateway_token "${DIR}/dev-issuer.jwk.json" bench-masked 2h mask=true >"${DIR}/token-masked"
  ! wants gateway-passthrough || start_gateway gateway-passthrough "${AG_JAR}"
  ! wants gateway-unmasked gateway-masked || start_gateway gateway "${AG_JAR}" "http://127.0.0.1:${OPA_PORT}"
  ! wants baseline-passthrough || start_gateway baseline-passthrough "${BASELINE_JAR}"
  ! wants baseline-unmasked baseline-masked || start_gateway baseline "${BASELINE_JAR}" "http://127.0.0.1:${OPA_PORT}"
  ag_phase_end
}

# start_gateway NAME JAR [OPA_URL]: a gateway run by JAR in DIR/NAME, policy disabled without OPA_URL;
# its heap use is sampled from the start (jstat, DIR/NAME/jstat.log).
start_gateway() {
  local name="$1" jar="$2" opa_url="${3:-}" dir="${DIR}/$1" port
  port="$(ag_free_port 23606)"
  mkdir -p "${dir}"
  cp "${DIR}/dev-issuer.jwk.json" "${DIR}/service-password" "${dir}/"
  ag_gateway_prepare "${dir}"
  ag_gateway_write_config "${dir}/agentgate.yaml" "${port}" "${DB}" "${DB_PORT}" "${DB}" false \
    ${opa_url:+"${opa_url}" "decision_path: agentgate_bench_mask/decision"}
  AGENTGATE_JAR="${jar}" AGENTGATE_JAVA_OPTS="${AGENTGATE_JAVA_OPTS:-}${HEAP:+ -Xmx${HEAP}}" ag_gateway_start "${dir}" "${port}"
  ag_start_background "${dir}/jstat.pid" "${dir}/jstat.log" jstat -gc "$(cat "${dir}/gateway.pid")" 500
  GATEWAY_PORT[${name}]="${port}"
  GATEWAYS+=("${name}")
}

run_and_report() {
  ag_phase_start "${ROUNDS} rounds x targets ${TARGETS} x text/binary" >&2
  local tls="sslMode=REQUIRED&allowPublicKeyRetrieval=true" results target gateway token specs=()
  for target in ${TARGETS}; do
    case "${target}" in
      direct) specs+=("direct=jdbc:mysql://127.0.0.1:${DB_PORT}/${DB}?${tls}|agentgate_svc|${DIR}/service-password") ;;
      haproxy) specs+=("haproxy=jdbc:mysql://127.0.0.1:${HAPROXY_PORT}/${DB}?${tls}|agentgate_svc|${DIR}/service-password|${DIR}/haproxy/haproxy.pid") ;;
      *)
        gateway="${target%-*}"; token="${target##*-}"
        [[ "${token}" != passthrough ]] || { gateway="${target}"; token=unmasked; }
        specs+=("${target}=jdbc:mysql://127.0.0.1:${GATEWAY_PORT[${gateway}]}/${DB}?${tls}|${DB}|${DIR}/token-${token}|${DIR}/${gateway}/gateway.pid") ;;
    esac
  done
  results="$(java -cp "${CONNECTOR}" "${AG_ROOT}/bench/masking/RowsPerSecond.java" "${ROUNDS}" "${WARMUP_ROUNDS}" "${SETTLE_READS}" "${SQL}" "${specs[@]}")" \
    || results="failed"
  ag_phase_end >&2
  echo "# agentgate large-result benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, everything on it (client, gateways, OPA, MariaDB, HAProxy); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- query: \`${SQL}\` over ${ROWS} rows, read to the end by MySQL Connector/J 9.7.0 (streaming, getBytes of every column), TLS on every client connection"
  echo "- first each proxy was read (text and binary in turn) until its JIT compilers took < 2 % of its CPU in two reads in a row (a text and a binary one), at most ${SETTLE_READS} reads, all targets twice over (settle reads: both passes)"
  echo "- ${ROUNDS} measured rounds after ${WARMUP_ROUNDS} unmeasured ones; each round runs every target once in a rotating order"
  echo "- rows/s: rows over the time from sending the SELECT to its last row; set-up: the login (and the PREPARE of the binary protocol) before it, timed apart; proxy CPU: the HAProxy or gateway process's CPU time (all threads) during the result, per row; JIT: the part of it in the JVM's compiler threads"
  echo "- gateway-masked: 2 of 8 columns masked (email -> \`***@example.com\`, ssn -> partial keep_last 4); gateway-passthrough: policy disabled"
  echo "- gateways' Java heap: ${HEAP:-the JVM default}$( [[ -z "${BASELINE_JAR}" ]] || echo "; baseline-* run $(basename "${BASELINE_JAR}")")"
  echo
  report_rates "${results}"
  echo
  report_memory
  [[ "${results}" != failed ]] || ag_die "a read failed (see above): the run has no rates"
}

# The rates table: medians, ratios to direct, HAProxy, the pass-through gateway and the unmasked gateway.
report_rates() {
  if [[ "$1" == failed ]]; then
    echo "**A read failed** (a connection was refused or closed before the last row): no rates."
    return
  fi
  echo "| protocol | target | rows/s (median) | min | max | rows per read | vs direct | vs haproxy | vs passthrough | vs unmasked | set-up ms (median) | proxy CPU ns/row (median) | of it JIT | settle reads |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local protocol
  for protocol in text binary; do
    awk -v p="${protocol}" -v expected="${ROWS}" '
      function ratio(t, to) { return (t == to || !(to in rate)) ? "" : sprintf("%.2f", rate[t] / rate[to]) }
      $2 == p { rate[$1] = $3; lo[$1] = $4; hi[$1] = $5; rows[$1] = $6; setup[$1] = $7; cpu[$1] = ($8 < 0) ? "" : $8
                  jit[$1] = ($9 < 0) ? "" : $9; settle[$1] = ($8 < 0) ? "" : $10; order[++n] = $1 }
      END { for (i = 1; i <= n; i++) { t = order[i]; b = (t ~ /^baseline/) ? "baseline-" : "gateway-"
              printf "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p, t, rate[t], lo[t], hi[t],
                rows[t] == expected ? rows[t] : "**" rows[t] " of " expected "**", ratio(t, "direct"), ratio(t, "haproxy"),
                (t ~ /passthrough|direct|haproxy/) ? "" : ratio(t, b "passthrough"),
                (t ~ /-masked$/) ? ratio(t, b "unmasked") : "", setup[t], cpu[t], jit[t], settle[t] } }' <<<"$1"
  done
}

# Per gateway: peak heap use seen by jstat (S0U+S1U+EU+OU), peak resident set (VmHWM), still serving.
report_memory() {
  local name dir pid peak_heap hwm alive
  echo "| gateway | peak heap used (MB) | peak RSS (MB) | serving at the end |"
  echo "|---|---:|---:|---|"
  for name in "${GATEWAYS[@]}"; do
    dir="${DIR}/${name}"; pid="$(cat "${dir}/gateway.pid")"
    peak_heap="$(awk '$1 ~ /^[0-9.]+$/ { used = $3 + $4 + $6 + $8; if (used > peak) peak = used } END { printf "%.0f", peak / 1024 }' "${dir}/jstat.log")"
    hwm="$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/${pid}/status" 2>/dev/null || echo "n/a")"
    alive="no (exited)"
    if kill -0 "${pid}" 2>/dev/null && ag_port_in_use "${GATEWAY_PORT[${name}]}"; then alive="yes"; fi
    echo "| ${name} | ${peak_heap} | ${hwm:-n/a} | ${alive} |"
  done
}

main "$@"
