#!/usr/bin/env python3
"""Compares OPA's own decision time for two policy bundles, side by side.

Starts three OPA servers on loopback: one with the OLD bundle, one with the NEW bundle and one
with a trivial rule (agentgate.decision := {"action": "allow"}), the floor: what OPA spends on a
request whatever the policy (reading and decoding the input, the handler). Then, for each round
and each example, measures one after the other (interleaved, so all three see the same load on
a shared machine) with bench/opa_latency.py's loop: one keep-alive connection, requests one
after another, OPA's handler time from ?metrics=true (timer_server_handler_ns), plus the input
decoding (timer_rego_input_parse_ns) and the evaluation (timer_rego_query_eval_ns).
Usage: opa_compare.py OLD.tar.gz NEW.tar.gz EXAMPLE_JSON... [--rounds 3] [--requests 1000]
Prints per example the p50 per round and the medians of the rounds, and the ratio new / old.
"""
import argparse
import http.client
import json
import os
import pathlib
import socket
import statistics
import subprocess
import tempfile
import time

TRIVIAL = 'package agentgate\n\ndecision := {"action": "allow"}\n'
TIMERS = ["timer_server_handler_ns", "timer_rego_input_parse_ns", "timer_rego_query_eval_ns"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_opa(opa, path):
    port = free_port()
    process = subprocess.Popen([opa, "run", "-s", "--log-level", "error", "-a", f"127.0.0.1:{port}", path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health")
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"OPA with {path} did not start")


def p50s(port, body, requests, warmup):
    """The p50 of each timer over `requests` decisions (after `warmup`), in us."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    values = {timer: [] for timer in TIMERS}
    for i in range(warmup + requests):
        connection.request("POST", "/v1/data/agentgate/decision?metrics=true", body=body,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200 or "result" not in answer:
            raise SystemExit(f"port {port}: HTTP {response.status}, no decision: {answer}")
        if i >= warmup:
            for timer in TIMERS:
                values[timer].append(answer["metrics"].get(timer, 0) / 1000)
    connection.close()
    return {timer: statistics.median(v) for timer, v in values.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("examples", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--opa", default=os.environ.get("OPA", "opa"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        trivial = pathlib.Path(work, "trivial.rego")
        trivial.write_text(TRIVIAL)
        servers = {name: start_opa(args.opa, path) for name, path in
                   [("old", args.old), ("new", args.new), ("floor", str(trivial))]}
        try:
            results = {}  # example -> server -> [p50 per round]
            for _ in range(args.rounds):
                for example in args.examples:
                    with open(example, encoding="utf-8") as f:
                        body = json.dumps({"input": json.load(f)["input"]}).encode()
                    for name, (_, port) in servers.items():
                        results.setdefault(example, {}).setdefault(name, []).append(
                            p50s(port, body, args.requests, args.warmup))
        finally:
            for process, _ in servers.values():
                process.terminate()
    print(f"load average before the report: {os.getloadavg()[0]:.2f}")
    print("| example | old p50 per round (us) | new p50 per round (us) | floor p50 per round (us) "
          "| old | new | floor | new / old | new: input decoding / eval |")
    print("|---|---|---|---|---:|---:|---:|---:|---|")
    for example, by_server in results.items():
        handler = {name: [r["timer_server_handler_ns"] for r in rounds] for name, rounds in by_server.items()}
        medians = {name: statistics.median(v) for name, v in handler.items()}
        parse = statistics.median(r["timer_rego_input_parse_ns"] for r in by_server["new"])
        evaluation = statistics.median(r["timer_rego_query_eval_ns"] for r in by_server["new"])
        cells = [", ".join(f"{v:.0f}" for v in handler[name]) for name in ("old", "new", "floor")]
        print(f"| {pathlib.Path(example).stem} | " + " | ".join(cells) + " | "
              + " | ".join(f"{medians[name]:.0f}" for name in ("old", "new", "floor"))
              + f" | {medians['new'] / medians['old']:.2f} | {parse:.0f} / {evaluation:.0f} |")


if __name__ == "__main__":
    main()
