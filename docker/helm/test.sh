#!/usr/bin/env bash
# Checks the Helm chart offline: helm lint, then helm template with the production-shaped values and
# with the defaults, each rendering validated strictly against the Kubernetes API types (validate/),
# and the misconfigurations the chart must refuse. Needs helm and the validator (scripts/lib.sh:
# ag_install_helm builds both).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="$here/agentgate"
validate="${AG_K8S_VALIDATE:-k8s-validate}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "helm lint"
helm lint --strict "$chart" -f "$here/ci-values.yaml"

echo "helm template (fleet values) | validate"
helm template gw "$chart" -f "$here/ci-values.yaml" >"$work/fleet.yaml"
"$validate" <"$work/fleet.yaml"
grep -q 'replicas: 3' "$work/fleet.yaml" || fail "replicaCount not rendered"
grep -q 'signing:' "$work/fleet.yaml" || fail "bundle signature verification not configured"
grep -q 'name: gw-agentgate-bundles' "$work/fleet.yaml" || fail "bundle server not rendered"
grep -q 'httpGet: {path: /health/ready, port: admin}' "$work/fleet.yaml" || fail "readiness probe is not /health/ready"
grep -q 'httpGet: {path: /health/live, port: admin}' "$work/fleet.yaml" || fail "liveness probe is not /health/live"
grep -q 'secretKeyRef: {name: agentgate-hash-key, key: AGENTGATE_HASH_KEY}' "$work/fleet.yaml" ||
  fail "the hash key is not taken from its secret"
grep -q '^kind: StatefulSet' "$work/fleet.yaml" || fail "the gateway is not a StatefulSet (stable pod names)"
grep -q 'volumeClaimTemplates:' "$work/fleet.yaml" || fail "no volume claim for the data directory"
grep -q 'storage: 2Gi' "$work/fleet.yaml" || fail "the data volume claim does not request persistence.size"
! grep -A1 -- '- name: data$' "$work/fleet.yaml" | grep -q emptyDir || fail "the data directory is an emptyDir"
grep -q 'data_dir: /var/lib/agentgate' "$work/fleet.yaml" || fail "data_dir is not the data volume"

key="$work/bundle-verify.pem" # any public key: these renderings only need one to be set
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl pkey -pubout -out "$key"
echo "helm template (one replica, external bundle server, no persistence) | validate"
helm template one "$chart" --set replicaCount=1 --set opa.bundleServiceUrl=https://bundles.example.com \
  --set-file "opa.bundleVerificationKey=$key" --set persistence.enabled=false >"$work/one.yaml"
"$validate" <"$work/one.yaml"
grep -q 'volumeClaimTemplates:' "$work/one.yaml" && fail "persistence.enabled=false still claims a volume"
grep -A1 -- '- name: data' "$work/one.yaml" | grep -q 'emptyDir: {}' || fail "persistence.enabled=false: no emptyDir"
grep -q 'hash_key' "$work/one.yaml" && fail "one replica without hashKeySecret renders a hash_key no secret provides"
helm template one "$chart" --set replicaCount=1 --set opa.bundleServiceUrl=https://bundles.example.com \
  --set-file "opa.bundleVerificationKey=$key" --set hashKeySecret=my-hash-key >"$work/one-keyed.yaml"
grep -q 'hash_key: \${AGENTGATE_HASH_KEY}' "$work/one-keyed.yaml" || fail "hashKeySecret set: hash_key not rendered"
grep -q 'secretKeyRef: {name: my-hash-key, key: AGENTGATE_HASH_KEY}' "$work/one-keyed.yaml" ||
  fail "hashKeySecret set: the hash key is not taken from its secret"

refused() { # refused MESSAGE ARGS...: helm template must fail and say MESSAGE
  local message="$1"; shift
  if helm template bad "$chart" "$@" >"$work/bad.out" 2>&1; then fail "rendered although: $message"; fi
  grep -q "$message" "$work/bad.out" || { cat "$work/bad.out" >&2; fail "refused without saying: $message"; }
  echo "  refused: $message"
}
echo "misconfigurations are refused"
refused "hashKeySecret is required when replicaCount > 1" --set opa.bundleServiceUrl=https://b.example.com \
  --set-file "opa.bundleVerificationKey=$key"
refused "opa.bundleServiceUrl is empty and bundleServer.enabled is false" --set replicaCount=1
refused "hashKeySecret is required when config.state.url or config.recording.s3 is set" --set replicaCount=1 \
  --set opa.bundleServiceUrl=https://b.example.com --set-file "opa.bundleVerificationKey=$key" \
  --set config.state.url=jdbc:mariadb://state.example.com/agentgate_state
refused "hashKeySecret is required when config.state.url or config.recording.s3 is set" --set replicaCount=1 \
  --set opa.bundleServiceUrl=https://b.example.com --set-file "opa.bundleVerificationKey=$key" \
  --set config.recording.s3.bucket=sessions
refused "opa.bundleVerificationKey is required" --set replicaCount=1 --set bundleServer.enabled=true
refused "opa.bundleVerificationKey is required" --set replicaCount=1 --set opa.bundleServiceUrl=https://b.example.com
refused "config.data_dir is set by the chart" -f "$here/ci-values.yaml" --set config.data_dir=/data
echo "the rendered gateway config, loaded by the gateway itself (agentgate config check)"
jar="${AG_JAR:-$here/../../gateway/target/agentgate.jar}"
if [ -f "$jar" ]; then
  # the pod's mounted TLS secret, here a throwaway certificate at the same file names
  mkdir -p "$work/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=agentgate -days 1 \
    -keyout "$work/tls/tls.key" -out "$work/tls/tls.crt" 2>/dev/null
  "$validate" -configmap-key gw-agentgate/agentgate.yaml <"$work/fleet.yaml" |
    sed -e "s|/etc/agentgate/tls/|$work/tls/|" -e "s|data_dir: /var/lib/agentgate|data_dir: $work/data|" \
    >"$work/agentgate.yaml"
  POD_NAME=gw-agentgate-0 AGENTGATE_HASH_KEY=0123456789abcdef0123 APPDB_PASSWORD=x \
    java -jar "$jar" config check --config "$work/agentgate.yaml" || fail "the gateway refuses the chart's config"
  # one replica without hashKeySecret: no AGENTGATE_HASH_KEY in the pod, and the config loads all the same
  helm template one "$chart" -f "$here/ci-values.yaml" --set replicaCount=1 --set hashKeySecret= >"$work/one-ci.yaml"
  grep -q 'hash_key' "$work/one-ci.yaml" && fail "one replica without hashKeySecret renders a hash_key"
  "$validate" -configmap-key one-agentgate/agentgate.yaml <"$work/one-ci.yaml" |
    sed -e "s|/etc/agentgate/tls/|$work/tls/|" -e "s|data_dir: /var/lib/agentgate|data_dir: $work/data-one|" \
    >"$work/agentgate-one.yaml"
  env -u AGENTGATE_HASH_KEY POD_NAME=one-agentgate-0 APPDB_PASSWORD=x java -jar "$jar" config check --config "$work/agentgate-one.yaml" ||
    fail "the gateway refuses the chart's config for one replica without hashKeySecret"
else
  fail "no gateway jar at $jar (mvn package first)"
fi

echo "the rendered OPA sidecar config, run by the real OPA: pulls and verifies a signed bundle"
root="$(cd "$here/../.." && pwd)"
. "$root/opa-bundle/opa-path.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
openssl pkey -in "$work/signing.pem" -pubout -out "$work/verify.pem"
mkdir -p "$work/serve/bundles"
SIGNING_KEY="$work/signing.pem" REVISION=chart-1 "$root/opa-bundle/build.sh" "$work/serve/bundles/agentgate.tar.gz" >/dev/null
http_port="$(free_port)" opa_port="$(free_port)"
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$work/serve" >"$work/http.log" 2>&1 &
http_pid=$!
helm template gw "$chart" --set replicaCount=1 --set "opa.bundleServiceUrl=http://127.0.0.1:$http_port" \
  --set-file "opa.bundleVerificationKey=$work/verify.pem" --set opa.polling.minDelaySeconds=1 \
  --set opa.polling.maxDelaySeconds=2 | "$validate" -configmap-key gw-agentgate/opa.yaml >"$work/opa.yaml"
"$OPA" run --server --addr "127.0.0.1:$opa_port" --config-file "$work/opa.yaml" >"$work/opa.log" 2>&1 &
opa_pid=$!
trap 'kill $http_pid $opa_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  revision="$(curl -fsS "http://127.0.0.1:$opa_port/v1/data/system/bundles/agentgate/manifest/revision" 2>/dev/null | jq -r '.result // empty' || true)"
  [ "$revision" = "chart-1" ] && break
  sleep 0.2
done
[ "$revision" = "chart-1" ] || { tail -5 "$work/opa.log" >&2; fail "OPA with the chart's config did not activate the signed bundle"; }
curl -fsS "http://127.0.0.1:$opa_port/health?bundles=true" >/dev/null || fail "OPA not ready with the bundle active"
echo "  signed bundle chart-1 verified and active; /health?bundles=true ready"
echo "docker/helm/test.sh: ok"
