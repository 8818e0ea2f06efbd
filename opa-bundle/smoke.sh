#!/usr/bin/env bash
# Smoke test of the policy bundle with a real OPA server on loopback:
#  (a) opa run --server --bundle bundle.tar.gz: POST example inputs to
#      /v1/data/agentgate/decision and check the actions and the decision id;
#  (b) a bundle server (python3 -m http.server) and OPA started with
#      opa-config.example.yaml: the bundle is activated (its revision is in
#      data.system.bundles), a decision is made, a new revision is picked up,
#      and decision logs appear on the console.
# Every process it starts is stopped on exit.
set -euo pipefail
bundle_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bundle_dir")"
. "$bundle_dir/opa-path.sh"
examples="$root/docs/schemas/examples"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; for log in "$work"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

wait_until() { # wait_until SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# decide PORT EXAMPLE -> prints the action; checks the decision id is there
decide() {
  local response
  response="$(jq '{input: .input}' "$examples/$2.json" |
    curl -fsS -X POST -H 'Content-Type: application/json' --data-binary @- \
      "http://127.0.0.1:$1/v1/data/agentgate/decision")" || fail "POST to OPA on port $1 failed"
  jq -e '.decision_id | strings' >/dev/null <<<"$response" || fail "no decision_id in $response"
  jq -r '.result.action // "no result"' <<<"$response"
}

expect_action() { # expect_action PORT EXAMPLE ACTION
  local action
  action="$(decide "$1" "$2")"
  [ "$action" = "$3" ] || fail "$2: action $action, expected $3"
  echo "  $2 -> $action"
}

revision_on() { curl -fsS "http://127.0.0.1:$1/v1/data/system/bundles/agentgate/manifest/revision" | jq -r '.result // empty'; }
has_revision() { [ "$(revision_on "$1")" = "$2" ]; }

echo "(a) opa run --server --bundle"
REVISION=smoke-1 "$bundle_dir/build.sh" "$work/bundle.tar.gz" >/dev/null
port_a="$(free_port)"
"$OPA" run --server --addr "127.0.0.1:$port_a" --bundle "$work/bundle.tar.gz" \
  --set decision_logs.console=true >"$work/opa-direct.log" 2>&1 &
pids+=("$!")
wait_until 20 curl -fsS "http://127.0.0.1:$port_a/health?bundles=true" || fail "OPA did not become healthy on port $port_a"
expect_action "$port_a" agent-select-orders mask
expect_action "$port_a" agent-delete-all deny
expect_action "$port_a" agent-select-customers mask
grep -q '"decision_id"' "$work/opa-direct.log" || fail "no decision log line on the console"
echo "  decision logs on the console"

echo "(b) bundle server + opa-config.example.yaml"
mkdir -p "$work/serve/bundles"
cp "$work/bundle.tar.gz" "$work/serve/bundles/agentgate.tar.gz"
port_http="$(free_port)"
python3 -m http.server "$port_http" --bind 127.0.0.1 --directory "$work/serve" >"$work/bundle-server.log" 2>&1 &
pids+=("$!")
wait_until 10 curl -fsS -o /dev/null "http://127.0.0.1:$port_http/bundles/agentgate.tar.gz" || fail "bundle server did not start"
port_b="$(free_port)"
BUNDLE_SERVER_URL="http://127.0.0.1:$port_http" "$OPA" run --server --addr "127.0.0.1:$port_b" \
  --config-file "$bundle_dir/opa-config.example.yaml" \
  --set bundles.agentgate.persist=false \
  --set bundles.agentgate.polling.min_delay_seconds=1 --set bundles.agentgate.polling.max_delay_seconds=2 \
  >"$work/opa-fleet.log" 2>&1 &
pids+=("$!")
wait_until 20 has_revision "$port_b" smoke-1 || fail "OPA did not activate bundle revision smoke-1 from the bundle server"
echo "  bundle revision smoke-1 activated"
expect_action "$port_b" ci-drop-table require_approval
REVISION=smoke-2 "$bundle_dir/build.sh" "$work/next.tar.gz" >/dev/null
mv "$work/next.tar.gz" "$work/serve/bundles/agentgate.tar.gz" # atomic: the server never serves half a bundle
wait_until 20 has_revision "$port_b" smoke-2 || fail "OPA did not pick up bundle revision smoke-2"
echo "  new bundle revision smoke-2 picked up without restart"
expect_action "$port_b" agent-select-orders mask
grep -q '"decision_id"' "$work/opa-fleet.log" || fail "no decision log line from the fleet OPA"
echo "smoke.sh: ok"
