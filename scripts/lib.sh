# shellcheck shell=bash
# Shared shell functions for .ci/run, test.sh, quickstart.sh and the bench/ scripts.
# Source it; it defines functions and a few variables and runs nothing.
# Each file under scripts/lib/ covers one responsibility.

AG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AG_OPA_VERSION="v1.22.2"
AG_OPA_DIR="${HOME}/.cache/agentgate/opa-${AG_OPA_VERSION}"
AG_JAR="${AG_ROOT}/gateway/target/agentgate.jar"

# shellcheck source=scripts/lib/log.sh
source "${AG_ROOT}/scripts/lib/log.sh"
# shellcheck source=scripts/lib/process.sh
source "${AG_ROOT}/scripts/lib/process.sh"
# shellcheck source=scripts/lib/install.sh
source "${AG_ROOT}/scripts/lib/install.sh"
# shellcheck source=scripts/lib/tls.sh
source "${AG_ROOT}/scripts/lib/tls.sh"
# shellcheck source=scripts/lib/mariadb.sh
source "${AG_ROOT}/scripts/lib/mariadb.sh"
# shellcheck source=scripts/lib/gateway.sh
source "${AG_ROOT}/scripts/lib/gateway.sh"
# shellcheck source=scripts/lib/opa.sh
source "${AG_ROOT}/scripts/lib/opa.sh"
# shellcheck source=scripts/lib/haproxy.sh
source "${AG_ROOT}/scripts/lib/haproxy.sh"
