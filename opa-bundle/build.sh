#!/usr/bin/env bash
# Builds the policy bundle opa-bundle/build/bundle.tar.gz from rego/ (policies
# and data.json; tests, scripts and examples left out) with a .manifest:
# roots ["agentgate"], revision from `git describe` (else the UTC time).
# Usage: opa-bundle/build.sh [OUTPUT.tar.gz]
#   REVISION=...  overrides the revision
#   DATA_FILE=... uses another data.json (e.g. a test fixture) instead of rego/data.json
#   SIGNING_KEY=private.pem signs the bundle (.signatures.json, RS256 unless SIGNING_ALG=...;
#     SIGNING_KEY_ID=... names the key, default agentgate-bundle-key): OPA started with the
#     matching public key under keys: refuses a bundle whose files do not match the signature
set -euo pipefail
bundle_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bundle_dir")"
. "$bundle_dir/opa-path.sh"
output="${1:-$bundle_dir/build/bundle.tar.gz}"
revision="${REVISION:-$(git -C "$root" describe --tags --always --dirty 2>/dev/null || date -u +%Y%m%dT%H%M%SZ)}"

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# Only what OPA should load: policy modules and data.json, no *_test.rego.
find "$root/rego" -maxdepth 1 -name '*.rego' ! -name '*_test.rego' -exec cp {} "$staging/" \;
cp "${DATA_FILE:-$root/rego/data.json}" "$staging/data.json"
printf '{"revision": "%s", "roots": ["agentgate"], "rego_version": 1}\n' "$revision" >"$staging/.manifest"

mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
# Built from inside the staging directory so the bundle holds relative paths.
signing=()
if [ -n "${SIGNING_KEY:-}" ]; then
  [ -r "$SIGNING_KEY" ] || { echo "build.sh: SIGNING_KEY $SIGNING_KEY is not a readable file" >&2; exit 2; }
  signing=(--signing-key "$(cd "$(dirname "$SIGNING_KEY")" && pwd)/$(basename "$SIGNING_KEY")"
    --signing-alg "${SIGNING_ALG:-RS256}" --claims-file /dev/null)
  # the claims OPA checks: keyid names the verification key, scope must match the config's
  printf '{"keyid": "%s", "scope": "write"}\n' "${SIGNING_KEY_ID:-agentgate-bundle-key}" >"$staging.claims.json"
  signing[-1]="$staging.claims.json"
fi
(cd "$staging" && "$OPA" build --bundle . --output "$output" "${signing[@]}")
rm -f "$staging.claims.json"
echo "built $output (revision $revision${SIGNING_KEY:+, signed})"
