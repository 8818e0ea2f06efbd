#!/usr/bin/env bash
# Coverage-guided fuzzing of the connection phase (Jazzer): the frame decoder, the packet parsers and the
# handshake state machine. The build runs the same tests over their seed corpus only (seconds); this runs each
# target in fuzzing mode for ROUNDS rounds of 5 minutes (default 1), keeping what it learnt in
# gateway/.cifuzz-corpus between rounds and runs.
#
#   scripts/fuzz.sh [ROUNDS] [TARGET...]     TARGET: Class#method, default all three
#
# A finding fails the round and is written to gateway/src/test/resources/<package>/<Class>Inputs/<method>/
# (from then on a regression seed the build runs: fix the bug, keep the file).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-1}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(
    "ProtocolFuzzTest#decodesAnyByteStreamIntoFramesOrRefusesIt"
    "ProtocolFuzzTest#parsesAnyPayloadOrReportsItMalformed"
    "ConnectionPhaseFuzzTest#answersAnyClientBytesWithoutAnEscapedExceptionAndClosesAfterAnError"
  )
fi
cd "${root}"
for ((round = 1; round <= rounds; round++)); do
  for target in "${targets[@]}"; do
    echo "== round ${round}/${rounds}: ${target}"
    JAZZER_FUZZ=1 mvn -o -q -pl gateway test -Dtest="${target}" -Dsurefire.failIfNoSpecifiedTests=false
  done
done
