#!/usr/bin/env python3
"""Times policy decisions against OPA's Data API directly, without the gateway.

One keep-alive HTTP/1.1 connection on loopback, requests one after another (as one gateway session
asks), the input taken from a docs/schemas/examples file. Reports two views per rule:
  round trip: measured by this client around request + response (an upper bound: includes Python's
              own HTTP handling, not the JSON encoding, which is done once up front);
  OPA:        OPA's own server-side time for the request (?metrics=true: timer_server_handler_ns).
Usage: opa_latency.py PORT EXAMPLE_JSON RULE_PATH... [--requests N] [--warmup N] [--parts]
Prints one Markdown table row per rule: | rule | requests | rt p50 | rt p95 | rt p99 | opa p50 | opa p95 |
(--parts adds two columns: the p50 of OPA's input parse and of its evaluation, parts of its handler time).
"""
import argparse
import http.client
import json
import sys
import time


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(connection, path, body, requests, warmup):
    round_trips, server, parse, evaluation = [], [], [], []
    for i in range(warmup + requests):
        started = time.perf_counter_ns()
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter_ns() - started
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}: {payload[:200]!r}")
        answer = json.loads(payload)
        if "result" not in answer:
            sys.exit(f"{path}: no result (rule undefined?): {payload[:200]!r}")
        if i >= warmup:
            round_trips.append(elapsed / 1000)
            metrics = answer["metrics"]
            server.append(metrics["timer_server_handler_ns"] / 1000)
            parse.append(metrics["timer_rego_input_parse_ns"] / 1000)
            evaluation.append(metrics["timer_rego_query_eval_ns"] / 1000)
    return round_trips, server, parse, evaluation


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("example")
    parser.add_argument("rules", nargs="+", help="rule paths under /v1/data, e.g. agentgate/decision")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--parts", action="store_true", help="also OPA's input parse and evaluation p50")
    args = parser.parse_args()
    with open(args.example, encoding="utf-8") as f:
        body = json.dumps({"input": json.load(f)["input"]}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    for rule in args.rules:
        rt, opa, parse, evaluation = measure(connection, f"/v1/data/{rule}?metrics=true", body, args.requests, args.warmup)
        cells = [percentile(rt, 0.50), percentile(rt, 0.95), percentile(rt, 0.99),
                 percentile(opa, 0.50), percentile(opa, 0.95)]
        if args.parts:
            cells += [percentile(parse, 0.50), percentile(evaluation, 0.50)]
        print(f"| `{rule}` | {args.requests} | " + " | ".join(f"{v:.0f}" for v in cells) + " |")
    connection.close()


if __name__ == "__main__":
    main()
