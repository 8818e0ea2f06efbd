#!/usr/bin/env bash
# Benchmark: what session recording costs a statement. One connection runs short statements one after another
# (a point read by id and a one-row UPDATE, alternating), through each target in turn:
#   direct        MariaDB itself
#   gateway       agentgate without recording (policy disabled: the bare relay)
#   gateway-rec   the same gateway with recording on: each statement's answer waits for its record's group commit
# Each round runs every target once, in a rotating order, on a fresh connection; the report gives the medians over
# rounds of each round's p50 and p99 (bench/recording/StatementLatency.java). Writes bench/results/<date>-recording.md.
#
# Usage: bench/recording.sh [--statements N] [--rounds N] [--out FILE]
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"

STATEMENTS=2000
ROUNDS=6
OUT="${AG_ROOT}/bench/results/$(date -u +%Y-%m-%d)-recording.md"
DIR="${AG_ROOT}/run/bench-recording"
DB="recbench"
CONNECTOR="${HOME}/.m2/repository/com/mysql/mysql-connector-j/9.7.0/mysql-connector-j-9.7.0.jar"

main() {
  while (( $# )); do
    (( $# >= 2 )) || ag_die "option $1 needs a value (see the usage at the top of bench/recording.sh)"
    case "$1" in
      --statements) STATEMENTS="$2" ;;
      --rounds) ROUNDS="$2" ;;
      --out) OUT="$2" ;;
      *) ag_die "unknown option $1 (see the usage at the top of bench/recording.sh)" ;;
    esac
    shift 2
  done
  [[ "${STATEMENTS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--statements must be a positive number, was '${STATEMENTS}'"
  [[ "${ROUNDS}" =~ ^[1-9][0-9]*$ ]] || ag_die "--rounds must be a positive number, was '${ROUNDS}'"
  ag_have_commands mariadbd openssl java || ag_die "missing tools: run .ci/run or ./quickstart.sh once to install them"
  [[ -f "${CONNECTOR}" ]] || (cd "${AG_ROOT}" && mvn -B -q -ntp dependency:get -Dartifact=com.mysql:mysql-connector-j:9.7.0)
  trap cleanup EXIT
  rm -rf "${DIR}"; mkdir -p "${DIR}" "$(dirname "${OUT}")"
  start_mariadb
  ag_build_jar
  start_gateway plain
  start_gateway recorded
  run_and_report | tee "${OUT}"
  ag_step "Written to ${OUT#"${AG_ROOT}"/}"
}

cleanup() {
  ag_gateway_stop "${DIR}/plain"
  ag_gateway_stop "${DIR}/recorded"
  ag_mariadb_stop "${DIR}/mariadb"
}

start_mariadb() {
  ag_phase_start "MariaDB with ${DB}.items (1000 rows)"
  DB_PORT="$(ag_free_port 24406)"
  ag_mariadb_start "${DIR}/mariadb" "${DB_PORT}"
  ag_mariadb_root "${DIR}/mariadb" -e "CREATE DATABASE ${DB}; USE ${DB};
    CREATE TABLE ${DB}.items (id INT PRIMARY KEY, name VARCHAR(40), hits INT NOT NULL DEFAULT 0);
    INSERT INTO ${DB}.items (id, name) SELECT seq, CONCAT('item ', seq) FROM seq_1_to_1000;"
  ag_mariadb_service_user "${DIR}/mariadb" agentgate_svc "${DIR}/service-password" "SELECT, UPDATE" "${DB}.*"
  ag_phase_end
}

# start_gateway NAME: a gateway in DIR/NAME; "recorded" also records its sessions to DIR/recorded/recordings.
start_gateway() {
  local name="$1" dir="${DIR}/$1" port first=23606
  ag_phase_start "agentgate ${name}"
  [[ "${name}" == recorded ]] && first=23706
  port="$(ag_free_port "${first}")"
  ag_gateway_prepare "${dir}"
  cp "${DIR}/service-password" "${dir}/service-password"
  ag_gateway_write_config "${dir}/agentgate.yaml" "${port}" "${DB}" "${DB_PORT}" "${DB}" false
  if [[ "${name}" == recorded ]]; then
    printf 'data_dir: data\nrecording:\n  dir: recordings\n' >>"${dir}/agentgate.yaml"
  fi
  ag_gateway_start "${dir}" "${port}"
  ag_gateway_token "${dir}/dev-issuer.jwk.json" "bench-${name}" 2h >"${dir}/token"
  printf '%s' "${port}" >"${dir}/port"
  ag_phase_end
}

run_and_report() {
  ag_phase_start "${ROUNDS} rounds x ${STATEMENTS} statements x direct, gateway, gateway-rec" >&2
  local tls="sslMode=REQUIRED&allowPublicKeyRetrieval=true" results
  results="$(java -cp "${CONNECTOR}" "${AG_ROOT}/bench/recording/StatementLatency.java" "${ROUNDS}" "${STATEMENTS}" \
    "direct=jdbc:mysql://127.0.0.1:${DB_PORT}/${DB}?sslMode=DISABLED&allowPublicKeyRetrieval=true|agentgate_svc|${DIR}/service-password" \
    "gateway=jdbc:mysql://127.0.0.1:$(cat "${DIR}/plain/port")/${DB}?${tls}|${DB}|${DIR}/plain/token" \
    "gateway-rec=jdbc:mysql://127.0.0.1:$(cat "${DIR}/recorded/port")/${DB}?${tls}|${DB}|${DIR}/recorded/token")"
  ag_phase_end >&2
  echo "# agentgate recording benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, everything on it (client, gateways, MariaDB, the recordings' disk); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- one connection, ${STATEMENTS} statements per round (point SELECT by id and one-row UPDATE, alternating), MySQL Connector/J 9.7.0, TLS to the gateways"
  echo "- ${ROUNDS} measured rounds after one unmeasured round; each round runs every target once in a rotating order"
  echo "- gateway-rec: recording on (defaults: on_failure refuse, durable_within 5s); each answer waits for its record's fsync"
  echo
  echo "| target | p50 µs (median of rounds) | p99 µs (median of rounds) | p50 min | p50 max | p50 vs gateway |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk '{ p50[$1] = $2; p99[$1] = $3; lo[$1] = $4; hi[$1] = $5; order[++n] = $1 }
    END { for (i = 1; i <= n; i++) { t = order[i]
            printf "| %s | %d | %d | %d | %d | %s |\n", t, p50[t], p99[t], lo[t], hi[t],
              (t == "direct" ? "" : sprintf("%.2f", p50[t] / p50["gateway"])) } }' <<<"${results}"
}

main "$@"
