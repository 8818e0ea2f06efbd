# shellcheck shell=bash
# Printing: steps, notes, failures, and per-phase timings.

ag_step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
ag_note() { printf '    %s\n' "$*"; }
ag_warn() { printf 'WARNING: %s\n' "$*" >&2; }
ag_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Phase timing: ag_phase_start NAME ... ag_phase_end; ag_phase_summary prints all of them.
AG_PHASES=()
ag_phase_start() { AG_PHASE_NAME="$1"; AG_PHASE_T0=$(date +%s); ag_step "$1"; }
ag_phase_end() {
  local status="${1:-ok}" secs=$(( $(date +%s) - AG_PHASE_T0 ))
  AG_PHASES+=("$(printf '%-48s %5ds  %s' "${AG_PHASE_NAME}" "${secs}" "${status}")")
  AG_PHASE_NAME=""
}
ag_phase_summary() {
  [[ -n "${AG_PHASE_NAME:-}" ]] && ag_phase_end "FAILED"
  (( ${#AG_PHASES[@]} )) || return 0
  printf '\nTimings:\n'
  printf '  %s\n' "${AG_PHASES[@]}"
}
