#!/usr/bin/env bash
# The test command: gateway unit tests + the end-to-end suite (mvn verify), then the Rego policy
# checks when rego/ exists. Prints the time each phase took. Expects the tools .ci/run installs.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ag_use_opa
trap ag_phase_summary EXIT

ag_phase_start "mvn verify (gateway unit tests, then tests/ end-to-end)"
# Bounded so a hung test fails with a message well before CI's 90-minute limit.
mvn_status=0
timeout --kill-after=60s 70m mvn -B -ntp verify || mvn_status=$?
(( mvn_status != 124 )) || ag_die "mvn verify did not finish within 70 minutes"
(( mvn_status == 0 )) || exit "${mvn_status}"
ag_phase_end

ag_phase_start "docker/test.sh (hadolint on the Dockerfile)"
ag_install_hadolint
docker/test.sh
ag_phase_end

ag_phase_start "docker/helm/test.sh (chart lint, render, offline validation)"
ag_install_helm
docker/helm/test.sh
ag_phase_end

if [[ -x rego/test.sh ]]; then
  ag_phase_start "rego/test.sh"
  rego/test.sh
  ag_phase_end
elif [[ -d rego && -n "$(find rego -name '*.rego' -print -quit)" ]]; then
  ag_phase_start "opa test / check --strict / fmt on rego/"
  command -v opa >/dev/null || ag_die "opa is not on PATH (run .ci/run or ./quickstart.sh once to install it)"
  opa check --strict rego
  opa test rego
  unformatted="$(opa fmt --list rego)"
  [[ -z "${unformatted}" ]] || ag_die "rego files need 'opa fmt -w': ${unformatted}"
  ag_phase_end
else
  ag_note "no rego/ policies yet: skipping opa test"
fi
