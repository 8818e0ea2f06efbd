# shellcheck shell=bash
# An OPA sidecar on loopback: `opa run --server` with the project's bundle (and optional extra
# policy/data files), tracked like the other background processes. Layout of DIR: opa.pid, opa.log.

# ag_opa_bundle OUTPUT: builds the policy bundle from rego/ (opa-bundle/build.sh) into OUTPUT.
ag_opa_bundle() {
  OPA="$(command -v opa)" "${AG_ROOT}/opa-bundle/build.sh" "$1" >/dev/null \
    || ag_die "opa-bundle/build.sh failed"
}

# ag_opa_start DIR PORT DECISION_LOGS BUNDLE...: OPA serving the bundles (files or directories with
# a .manifest; their roots must not overlap) on 127.0.0.1:PORT.
# DECISION_LOGS on|off: with on, every decision (with its decision_id) and request is logged to
# DIR/opa.log; with off only errors (no per-request logging: what a benchmark wants).
ag_opa_start() {
  local dir="$1" port="$2" logs="$3" bundle; shift 3
  [[ "${logs}" =~ ^(on|off)$ ]] || ag_die "ag_opa_start: DECISION_LOGS must be on or off, was '${logs}'"
  ag_use_opa
  mkdir -p "${dir}"
  ag_opa_stop "${dir}"
  local settings=(--log-level error)
  [[ "${logs}" == off ]] || settings=(--set decision_logs.console=true)
  for bundle in "$@"; do settings+=(--bundle "${bundle}"); done
  ag_start_background "${dir}/opa.pid" "${dir}/opa.log" \
    opa run --server --addr "127.0.0.1:${port}" "${settings[@]}"
  ag_wait_for_port "${port}" "${dir}/opa.pid" "opa" "${dir}/opa.log" 30
  ag_opa_wait_healthy "${port}" "${dir}/opa.log"
}

# ag_opa_wait_healthy PORT LOG: until OPA's /health?bundles=true answers 200 (bundle activated).
ag_opa_wait_healthy() {
  local deadline=$(( $(date +%s) + 30 ))
  until python3 - "$1" <<'PY' 2>/dev/null
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
c.request("GET", "/health?bundles=true")
sys.exit(0 if c.getresponse().status == 200 else 1)
PY
  do
    if (( $(date +%s) >= deadline )); then
      tail -n 30 "$2" >&2 || true
      ag_die "opa on 127.0.0.1:$1 did not report healthy (bundle activated) within 30s (log: $2)"
    fi
    sleep 0.3
  done
}

ag_opa_stop() { ag_stop_pidfile "$1/opa.pid" "opa"; }
