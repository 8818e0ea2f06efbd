#!/usr/bin/env bash
# The policy benchmark of issue 3: bench/run.sh with the targets direct MariaDB, the pass-through
# gateway (policy disabled), the gateway with an allow-all policy in a real OPA without the decision
# cache, and with it; 8 threads, both prepared-statement modes, oltp_point_select and oltp_read_only;
# 4 rounds per case, so that each of the 4 targets runs once in each position of the rotating order
# (medians over the rounds); report in bench/results/<date>-policy.md. Any bench/run.sh option
# overrides these defaults, e.g.
#   bench/policy.sh --time 60 --threads "8 32" --rounds 2
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
exec "${bench_dir}/run.sh" \
  --targets "direct gateway gateway-opa gateway-opa-cache" \
  --tests "oltp_point_select oltp_read_only" --ps-modes "auto disable" --threads 8 \
  --time 15 --warmup 5 --jvm-warmup 15 --rounds 4 \
  --out "${bench_dir}/results/$(date -u +%Y-%m-%d)-policy.md" \
  "$@"
