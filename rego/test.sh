#!/usr/bin/env bash
# Checks the shipped policies and fails on any problem:
#   opa fmt --list (must print nothing), opa check --strict, opa test,
#   coverage of the policy files (not the tests) >= ${AGENTGATE_MIN_COVERAGE:-90} %,
#   the contract examples in docs/schemas/examples, and the bundle smoke test
#   (opa-bundle/smoke.sh: a real OPA server, direct and via a bundle server).
# Usage: rego/test.sh [--no-smoke]
set -euo pipefail
rego_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$rego_dir")"
. "$root/opa-bundle/opa-path.sh"
min_coverage="${AGENTGATE_MIN_COVERAGE:-90}"
run_smoke=true
[ "${1:-}" = "--no-smoke" ] && run_smoke=false

step() { printf '\n== %s\n' "$*"; }

step "opa fmt --list"
unformatted="$("$OPA" fmt --list "$rego_dir")"
if [ -n "$unformatted" ]; then
  echo "not formatted (run: $OPA fmt -w rego):"; echo "$unformatted"; exit 1
fi
echo "all formatted"

step "opa check --strict"
"$OPA" check --strict "$rego_dir"
echo "clean"

step "opa test"
"$OPA" test "$rego_dir"

step "opa test --coverage (policy files, minimum ${min_coverage} %)"
coverage_json="$(mktemp)"
trap 'rm -f "$coverage_json"' EXIT
"$OPA" test --coverage --format=json "$rego_dir" >"$coverage_json"
python3 - "$coverage_json" "$min_coverage" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
minimum = float(sys.argv[2])
covered = not_covered = 0
for name, file in sorted(report["files"].items()):
    if name.endswith("_test.rego"):
        continue
    file_covered = file.get("covered_lines", 0)
    file_missed = file.get("not_covered_lines", 0)
    covered += file_covered
    not_covered += file_missed
    lines = [f"{r['start']['row']}-{r['end']['row']}" for r in file.get("not_covered", [])]
    print(f"  {name:40} {file.get('coverage', 0):6.1f} %" + (f"  not covered: {', '.join(lines)}" if lines else ""))
total = 100.0 * covered / (covered + not_covered) if covered + not_covered else 0.0
print(f"policy coverage {total:.1f} % ({covered} of {covered + not_covered} lines); opa overall {report.get('coverage', 0):.1f} %")
if total < minimum:
    print(f"coverage {total:.1f} % is below {minimum} %")
    sys.exit(1)
PY

step "contract examples (docs/schemas/examples)"
python3 "$rego_dir/check_examples.py" "$OPA"

if $run_smoke; then
  step "bundle smoke test (opa-bundle/smoke.sh)"
  "$root/opa-bundle/smoke.sh"
fi
echo; echo "rego/test.sh: all checks passed"
