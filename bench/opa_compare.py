#!/usr/bin/env python3
"""Compares OPA's own decision time for two policy bundles, side by side.

Starts three OPA servers on loopback: one with the OLD bundle, one with the NEW bundle and one
with a trivial rule (agentgate.decision := {"action": "allow"}), the floor: what OPA spends on a
request whatever the policy (reading and decoding the input, the handler). For each round and
each example, the three are asked in turn, --block requests at a time, until each had --requests
(finely interleaved, so all three see the same load on a shared machine), as bench/opa_latency.py
asks: one keep-alive connection each, requests one after another, OPA's own times from
?metrics=true: the handler (timer_server_handler_ns), the input decoding (timer_rego_input_parse_ns)
and the evaluation (timer_rego_query_eval_ns).
Usage: opa_compare.py OLD.tar.gz NEW.tar.gz EXAMPLE_JSON... [--rounds 3] [--requests 1000] [--block 50]
Prints per example the handler p50 per round, the medians of the rounds, the ratio new / old, and
the medians of the decoding and evaluation p50s.
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


def ask(connection, body, count, values):
    for _ in range(count):
        connection.request("POST", "/v1/data/agentgate/decision?metrics=true", body=body,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200 or "result" not in answer:
            raise SystemExit(f"HTTP {response.status}, no decision: {answer}")
        if values is not None:
            for timer in TIMERS:
                values[timer].append(answer["metrics"].get(timer, 0) / 1000)


def interleaved_p50s(ports, body, requests, warmup, block):
    """Per server, the p50 of each timer over `requests` decisions asked in turns of `block`, in us."""
    connections = {name: http.client.HTTPConnection("127.0.0.1", port, timeout=10) for name, port in ports.items()}
    values = {name: {timer: [] for timer in TIMERS} for name in ports}
    for connection in connections.values():
        ask(connection, body, warmup, None)
    for _ in range(0, requests, block):
        for name, connection in connections.items():
            ask(connection, body, block, values[name])
    for connection in connections.values():
        connection.close()
    return {name: {timer: statistics.median(v) for timer, v in by_timer.items()} for name, by_timer in values.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("examples", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--block", type=int, default=50)
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
                    ports = {name: port for name, (_, port) in servers.items()}
                    for name, p50 in interleaved_p50s(ports, body, args.requests, args.warmup, args.block).items():
                        results.setdefault(example, {}).setdefault(name, []).append(p50)
        finally:
            for process, _ in servers.values():
                process.terminate()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("| example | old p50 per round (us) | new p50 per round (us) | floor p50 per round (us) "
          "| old | new | floor | new / old | old: decoding / eval | new: decoding / eval |")
    print("|---|---|---|---|---:|---:|---:|---:|---|---|")
    for example, by_server in results.items():
        def median_of(name, timer):
            return statistics.median(r[timer] for r in by_server[name])
        handler = {name: [r["timer_server_handler_ns"] for r in rounds] for name, rounds in by_server.items()}
        medians = {name: statistics.median(v) for name, v in handler.items()}
        cells = [", ".join(f"{v:.0f}" for v in handler[name]) for name in ("old", "new", "floor")]
        split = [f"{median_of(name, 'timer_rego_input_parse_ns'):.0f} / {median_of(name, 'timer_rego_query_eval_ns'):.0f}"
                 for name in ("old", "new")]
        print(f"| {pathlib.Path(example).stem} | " + " | ".join(cells) + " | "
              + " | ".join(f"{medians[name]:.0f}" for name in ("old", "new", "floor"))
              + f" | {medians['new'] / medians['old']:.2f} | " + " | ".join(split) + " |")

if __name__ == "__main__":
    main()
