#!/usr/bin/env bash
# Runs the agentgate CLI in place of this process (so a recorded pid is the JVM's own).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# AGENTGATE_JAR: another build's jar (bench/run.sh --baseline-jar), run as is.
if [[ -n "${AGENTGATE_JAR:-}" ]]; then exec java ${AGENTGATE_JAVA_OPTS:-} -jar "${AGENTGATE_JAR}" "$@"; fi
if [[ -x "${root}/bin/agentgate" ]]; then exec "${root}/bin/agentgate" "$@"; fi
# shellcheck disable=SC2086 # AGENTGATE_JAVA_OPTS is a list of options
exec java ${AGENTGATE_JAVA_OPTS:-} -jar "${root}/gateway/target/agentgate.jar" "$@"
