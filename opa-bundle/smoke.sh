#!/usr/bin/env bash
# Smoke test of the policy bundle with a real OPA server on loopback:
#  (a) opa run --server --bundle bundle.tar.gz: POST example inputs to
#      /v1/data/agentgate/decision and check the actions and the decision id;
#  (b) a bundle server (python3 -m http.server) and OPA started with
#      opa-config.example.yaml: the bundle is activated (its revision is in
#      data.system.bundles), a decision is made, a new revision is picked up,
#      and decision logs appear on the console;
#  (c) a signed bundle (build.sh with SIGNING_KEY) verified by OPA with the
#      public key: activated; a bundle whose files were changed after
#      signing is refused and the signed revision stays active;
#  (d) decision logs shipped to an HTTP collector (a real HTTP server here):
#      each decision arrives with its decision id, input and bundle revision.
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
echo "  (a), (b) ok"

echo "(c) signed bundle, verified by OPA"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
openssl pkey -in "$work/signing.pem" -pubout -out "$work/verify.pem"
SIGNING_KEY="$work/signing.pem" REVISION=signed-1 "$bundle_dir/build.sh" "$work/signed.tar.gz" >/dev/null
tar -tzf "$work/signed.tar.gz" 2>/dev/null >"$work/signed.list"; grep -q '.signatures.json' "$work/signed.list" || fail "the signed bundle has no .signatures.json"
mkdir -p "$work/signed-serve/bundles"
cp "$work/signed.tar.gz" "$work/signed-serve/bundles/agentgate.tar.gz"
port_signed_http="$(free_port)"
python3 -m http.server "$port_signed_http" --bind 127.0.0.1 --directory "$work/signed-serve" >"$work/signed-server.log" 2>&1 &
pids+=("$!")
port_collector="$(free_port)"
# (d)'s collector: OPA POSTs gzip'd JSON arrays of decision events; each event is kept as one line
python3 - "$port_collector" "$work/collected.jsonl" >"$work/collector.log" 2>&1 <<'PY' &
import gzip, http.server, json, sys
port, out = int(sys.argv[1]), sys.argv[2]
class Collector(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        with open(out, "a") as f:
            for event in json.loads(body):
                f.write(json.dumps(event) + "\n")
        self.send_response(200); self.end_headers()
http.server.HTTPServer(("127.0.0.1", port), Collector).serve_forever()
PY
pids+=("$!")
{
  printf 'services:\n  bundle_server:\n    url: http://127.0.0.1:%s\n' "$port_signed_http"
  printf '  decision_log_collector:\n    url: http://127.0.0.1:%s\n' "$port_collector"
  printf 'bundles:\n  agentgate:\n    service: bundle_server\n    resource: bundles/agentgate.tar.gz\n'
  printf '    polling: {min_delay_seconds: 1, max_delay_seconds: 2}\n'
  printf '    signing: {keyid: agentgate-bundle-key, scope: write}\n'
  printf 'keys:\n  agentgate-bundle-key:\n    algorithm: RS256\n    key: |\n'
  sed 's/^/      /' "$work/verify.pem"
  printf 'decision_logs:\n  service: decision_log_collector\n  reporting: {min_delay_seconds: 1, max_delay_seconds: 2}\n'
} >"$work/opa-signed.yaml"
port_c="$(free_port)"
"$OPA" run --server --addr "127.0.0.1:$port_c" --config-file "$work/opa-signed.yaml" >"$work/opa-signed.log" 2>&1 &
pids+=("$!")
wait_until 20 has_revision "$port_c" signed-1 || fail "OPA did not activate the signed bundle signed-1"
echo "  signed bundle signed-1 verified and activated"
expect_action "$port_c" agent-select-orders mask
# tampered: the shipped data changed after signing, the old .signatures.json kept
mkdir "$work/tamper" && tar -xzf "$work/signed.tar.gz" -C "$work/tamper" 2>/dev/null
jq '.' "$work/tamper/data.json" >/dev/null || fail "bundle data.json unreadable"
# e.g. an attacker on the bundle path widens a role: only data.json changes, .manifest and signatures stay
jq '.agentgate.config.tampered = true' "$work/tamper/data.json" >"$work/tamper/data.new" && mv "$work/tamper/data.new" "$work/tamper/data.json"
(cd "$work/tamper" && tar -czf "$work/tampered.tar.gz" .manifest .signatures.json *.rego data.json)
mv "$work/tampered.tar.gz" "$work/signed-serve/bundles/agentgate.tar.gz"
wait_until 20 grep -qi 'signature\|digest\|hash' "$work/opa-signed.log" || fail "OPA did not report the tampered bundle"
sleep 3
tampered="$(curl -fsS "http://127.0.0.1:$port_c/v1/data/agentgate/config/tampered" | jq -r '.result // "absent"')"
[ "$tampered" = "absent" ] || fail "OPA activated a bundle whose files do not match its signature"
echo "  OPA: $(grep -io '[^"]*digest[^"]*\|[^"]*signature[^"]*' "$work/opa-signed.log" | head -1 | cut -c1-160)"
echo "  tampered bundle refused; signed-1 stays active"

echo "(d) decision logs to an HTTP collector"
# the collector also gets OPA's other decisions (the revision reads above): wait for the gateway rule's own
collected_decision() {
  [ -f "$work/collected.jsonl" ] &&
    jq -e 'select(.path == "agentgate/decision") | .decision_id and .input and .bundles.agentgate.revision == "signed-1"' \
      "$work/collected.jsonl" | grep -q true
}
wait_until 30 collected_decision || fail "no decision of agentgate/decision with decision_id, input and the bundle revision reached the collector"
echo "  decision events with id, input and bundle revision reached the collector"
echo "smoke.sh: ok (signed bundles, decision log collector)"
