#!/usr/bin/env bash
# Runs the agentgate CLI in place of this process (so a recorded pid is the JVM's own).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -x "${root}/bin/agentgate" ]]; then exec "${root}/bin/agentgate" "$@"; fi
# shellcheck disable=SC2086 # AGENTGATE_JAVA_OPTS is a list of options
exec java ${AGENTGATE_JAVA_OPTS:-} -jar "${root}/gateway/target/agentgate.jar" "$@"
