#!/usr/bin/env bash
# The agent benchmark: bench/run.sh with the agent workload (bench/agent/agent_point_select.lua: point reads
# by id of shop.customers, a new literal in every query, PII columns selected or not) against MariaDB
# directly, HAProxy, the pass-through gateway (policy disabled) and the gateway with the shipped policy in a
# real OPA and the default policy config (gateway-agent, token claim agent=true); 8 threads, text queries;
# 4 rounds per case, so that each target runs once in each position of the rotating order; OPA's own time
# for the shipped policy is measured directly too (bench/opa_latency.py). Report in
# bench/results/<date>-agent.md. Any bench/run.sh option overrides these defaults, e.g.
#   bench/agent.sh --time 30 --rounds 8
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
exec "${bench_dir}/run.sh" \
  --targets "direct haproxy gateway gateway-agent" \
  --tests "agent_pii agent_plain" --ps-modes disable --threads 8 \
  --time 15 --warmup 5 --jvm-warmup 15 --rounds 4 \
  --out "${bench_dir}/results/$(date -u +%Y-%m-%d)-agent.md" \
  "$@"
