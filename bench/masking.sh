#!/usr/bin/env bash
# Benchmark (issue 4): rows per second of one large SELECT read to the end, side by side in one run:
#   direct           MariaDB itself (TLS)
#   gateway-unmasked agentgate + OPA, the policy allows the SELECT without masks
#   gateway-masked   the same gateway and SELECT, a token whose policy decision masks 2 of 8 columns
#                    (email: strategy email, ssn: partial keep_last 4; bench/masking/mask_policy.rego)
# Text protocol (plain statement) and binary protocol (server-side prepared statement), both streamed
# by MySQL Connector/J; every column of every row read with getBytes (bench/masking/RowsPerSecond.java).
# Each round runs every target once, in a rotating order; the report gives medians over rounds and the
# ratios of the medians. Writes bench/results/<date>-masking.md. Target: masked >= 0.7 x unmasked.
#
# Usage: bench/masking.sh [--rows N] [--rounds N] [--targets "direct gateway-unmasked gateway-masked"] [--out FILE]
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"

ROWS=300000
ROUNDS=5
TARGETS="direct gateway-unmasked gateway-masked"
OUT="${AG_ROOT}/bench/results/$(date -u +%Y-%m-%d)-masking.md"
DIR="${AG_ROOT}/run/bench-masking"
DB="maskbench"
CONNECTOR="${HOME}/.m2/repository/com/mysql/mysql-connector-j/9.7.0/mysql-connector-j-9.7.0.jar"
SQL="SELECT id, name, email, ssn, city, created_at, balance, note FROM people"

main() {
  while (( $# )); do
    (( $# >= 2 )) || ag_die "option $1 needs a value (see the usage at the top of bench/masking.sh)"
    case "$1" in
      --rows) ROWS="$2" ;;
      --rounds) ROUNDS="$2" ;;
      --targets) TARGETS="$2" ;;
      --out) OUT="$2" ;;
      *) ag_die "unknown option $1 (see the usage at the top of bench/masking.sh)" ;;
    esac
    shift 2
  done
  [[ "${ROWS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rows must be a positive number, was '${ROWS}'"
  [[ "${ROUNDS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rounds must be a positive number, was '${ROUNDS}'"
  ag_have_commands mariadbd openssl java || ag_die "missing tools: run .ci/run or ./quickstart.sh once to install them"
  [[ -f "${CONNECTOR}" ]] || (cd "${AG_ROOT}" && mvn -B -q -ntp dependency:get -Dartifact=com.mysql:mysql-connector-j:9.7.0)
  trap cleanup EXIT
  rm -rf "${DIR}"; mkdir -p "${DIR}" "$(dirname "${OUT}")"
  start_mariadb
  start_opa
  start_gateway
  run_and_report | tee "${OUT}"
  ag_step "Written to ${OUT#"${AG_ROOT}"/}"
}

cleanup() {
  ag_gateway_stop "${DIR}/gateway"
  ag_opa_stop "${DIR}/opa"
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

start_opa() {
  ag_phase_start "OPA ${AG_OPA_VERSION} with bench/masking/mask_policy.rego"
  ag_install_opa >/dev/null
  OPA_PORT="$(ag_free_port 28281)"
  mkdir -p "${DIR}/opa/policy"
  cp "${AG_ROOT}/bench/masking/mask_policy.rego" "${DIR}/opa/policy/"
  ag_opa_start "${DIR}/opa" "${OPA_PORT}" off "${DIR}/opa/policy"
  ag_phase_end
}

start_gateway() {
  ag_phase_start "agentgate (decision path agentgate_bench_mask/decision)"
  ag_build_jar
  local dir="${DIR}/gateway"
  GATEWAY_PORT="$(ag_free_port 23606)"
  ag_gateway_prepare "${dir}"
  cp "${DIR}/service-password" "${dir}/service-password"
  ag_gateway_write_config "${dir}/agentgate.yaml" "${GATEWAY_PORT}" "${DB}" "${DB_PORT}" "${DB}" false \
    "http://127.0.0.1:${OPA_PORT}" "decision_path: agentgate_bench_mask/decision"
  ag_gateway_start "${dir}" "${GATEWAY_PORT}"
  ag_gateway_token "${dir}/dev-issuer.jwk.json" bench-unmasked 2h >"${DIR}/token-unmasked"
  ag_gateway_token "${dir}/dev-issuer.jwk.json" bench-masked 2h mask=true >"${DIR}/token-masked"
  ag_phase_end
}

run_and_report() {
  ag_phase_start "${ROUNDS} rounds x targets ${TARGETS} x text/binary" >&2
  local tls="sslMode=REQUIRED&allowPublicKeyRetrieval=true" results
  local -A spec=(
    [direct]="jdbc:mysql://127.0.0.1:${DB_PORT}/${DB}?${tls}|agentgate_svc|${DIR}/service-password"
    [gateway-unmasked]="jdbc:mysql://127.0.0.1:${GATEWAY_PORT}/${DB}?${tls}|${DB}|${DIR}/token-unmasked"
    [gateway-masked]="jdbc:mysql://127.0.0.1:${GATEWAY_PORT}/${DB}?${tls}|${DB}|${DIR}/token-masked")
  local target specs=()
  for target in ${TARGETS}; do
    [[ -n "${spec[${target}]:-}" ]] || ag_die "--targets: unknown target '${target}' (direct gateway-unmasked gateway-masked)"
    specs+=("${target}=${spec[${target}]}")
  done
  results="$(java -cp "${CONNECTOR}" "${AG_ROOT}/bench/masking/RowsPerSecond.java" "${ROUNDS}" "${SQL}" "${specs[@]}")"
  ag_phase_end >&2
  echo "# agentgate masking benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, everything on it (client, gateway, OPA, MariaDB); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- query: \`${SQL}\` over ${ROWS} rows, read to the end by MySQL Connector/J 9.7.0 (streaming, getBytes of every column), TLS on every client connection"
  echo "- ${ROUNDS} measured rounds after one unmeasured round; each round runs every target once in a rotating order"
  echo "- gateway-masked: 2 of 8 columns masked (email -> \`***@example.com\`, ssn -> partial keep_last 4)"
  echo
  echo "| protocol | target | rows/s (median) | min | max | vs direct | vs gateway-unmasked |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  local protocol
  for protocol in text binary; do
    awk -v p="${protocol}" '$2 == p { rate[$1] = $3; lo[$1] = $4; hi[$1] = $5; order[++n] = $1 }
      END { for (i = 1; i <= n; i++) { t = order[i]
              printf "| %s | %s | %d | %d | %d | %.2f | %s |\n", p, t, rate[t], lo[t], hi[t], rate[t] / rate["direct"],
                (t == "direct" || !("gateway-unmasked" in rate) ? "" : sprintf("%.2f", rate[t] / rate["gateway-unmasked"])) } }' <<<"${results}"
  done
}

main "$@"
