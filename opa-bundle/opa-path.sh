# Sourced by the policy scripts: sets OPA to the opa binary to use.
# Order: $OPA if set, else opa on PATH, else the pinned build in the cache
# (`GOBIN=~/.cache/agentgate/opa-v1.22.2 go install github.com/open-policy-agent/opa@v1.22.2`).
AGENTGATE_PINNED_OPA="${HOME:-/root}/.cache/agentgate/opa-v1.22.2/opa"
if [ -z "${OPA:-}" ]; then
  if command -v opa >/dev/null 2>&1; then
    OPA="$(command -v opa)"
  else
    OPA="$AGENTGATE_PINNED_OPA"
  fi
fi
if [ ! -x "$OPA" ]; then
  echo "opa not found: set OPA, put opa on PATH, or install it to $AGENTGATE_PINNED_OPA" >&2
  exit 2
fi
export OPA
