#!/usr/bin/env bash
# Checks the image definition offline (no Docker engine needed): hadolint on docker/Dockerfile, every
# rule at its default severity; any finding fails. Needs hadolint on PATH (scripts/lib.sh:
# ag_install_hadolint puts the pinned one there) or AG_HADOLINT naming it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
hadolint="${AG_HADOLINT:-hadolint}"
command -v "$hadolint" >/dev/null || { echo "FAIL: hadolint not found (AG_HADOLINT or PATH)" >&2; exit 1; }

echo "hadolint $("$hadolint" --version | grep -o '[0-9][0-9.]*' | head -1) docker/Dockerfile"
"$hadolint" --failure-threshold style "$here/Dockerfile"
echo "docker/test.sh: ok"
