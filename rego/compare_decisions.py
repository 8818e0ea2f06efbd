#!/usr/bin/env python3
"""Compares the decisions of two OPA servers over a corpus of policy inputs.

For a change to the shipped Rego that should not change what it decides (a rewrite for speed, say):
start OPA with the bundle before on one port and the bundle after on another, then
  python3 rego/compare_decisions.py PORT_BEFORE PORT_AFTER
The corpus: the contract examples (docs/schemas/examples) crossed with identities, statement types
and changes of the statement facts and commands (a few thousand inputs). Exits 1 when any decision
differs (the first five are printed), except that a statement type not in lower case must be denied
as a contract violation by the second server.
"""
import copy
import glob
import http.client
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus():
    base = [json.load(open(f))["input"] for f in sorted(glob.glob(os.path.join(ROOT, "docs/schemas/examples/*.json")))]
    idents = [
        {"issuer": "https://idp.example.com", "subject": "agent-7", "claims": {"iss": "https://idp.example.com", "sub": "agent-7", "groups": ["staff", "ai-agents"]}},
        {"issuer": "https://idp.example.com", "subject": "svc-orders", "claims": {"sub": "svc-orders"}},
        {"issuer": "https://idp.example.com", "subject": "bob", "claims": {"groups": "dba"}},
        {"issuer": "https://idp.example.com", "subject": "eve", "claims": {"groups": ["staff"]}},
        {"issuer": "agentgate-dev", "subject": "dev", "claims": {"agent": "true"}},
        {"issuer": "agentgate-dev", "subject": "dev", "claims": {"agent": True}},
        {"issuer": "agentgate-dev", "subject": "dev", "claims": {"role": "orders_writer"}},
        {"issuer": "agentgate-dev", "subject": "dev", "claims": {"role": "dba"}},
        {"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:acme/shop", "claims": {"repository": "acme/shop", "ref": "refs/heads/main", "workflow": "migrate", "job_workflow_ref": "acme/shop/.github/workflows/migrate.yml@refs/heads/main"}},
        {"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:acme/shop", "claims": {"repository": "acme/shop", "ref": "refs/heads/dev", "workflow": "migrate", "job_workflow_ref": "x"}},
        {"issuer": "https://unknown", "subject": "x", "claims": {}},
    ]
    types = ["select", "show", "insert", "update", "delete", "drop_table", "drop_database", "drop_user", "drop_view", "truncate_table", "create_table", "create_user", "rename_table", "create_index", "alter_table", "grant", "set", "call", "explain", "load_data", "kill", "other", "SELECT", "Update"]
    out = []
    for b in base:
        for ident in idents:
            x = copy.deepcopy(b); x["identity"] = ident; out.append(x)
            if "statement" in x:
                for t in types:
                    y = copy.deepcopy(x); y["statement"]["type"] = t; out.append(y)
                for mod in [{"parsed": False, "parse_error": "Encountered unexpected token: \"INTO\""}, {"features": ["sleep"]}, {"features": ["diagnostics_reads"]}, {"features": ["into_variables"]}, {"functions": ["SLEEP"]}, {"where_clause": True},
                                        {"databases": ["mysql"]}, {"databases": ["shop"]}, {"tables": [{"schema": "shop", "name": "customers", "access": "write"}, {"schema": "shop", "name": "customers", "access": "read"}]},
                                        {"tables": [{"schema": "shop", "name": "orders", "access": "ddl"}]}, {"tables": [{"schema": None, "name": "orders", "access": "read"}]},
                                        {"digest": "SHOW GRANTS", "type": "show"}, {"digest": "SHOW CREATE TABLE `customers`", "type": "show"},
                                        {"lineage": {"masked_uses": []}}, {"lineage": {"masked_uses": [{"column": "shop.customers.ssn", "use": "filter", "detail": "x"}, {"column": None, "use": "order"}]}},
                                        {"columns": [{"schema": "shop", "table": "customers", "name": "ssn", "uses": ["filter"]}, {"schema": None, "table": None, "name": "email", "uses": ["order"]}]}]:
                    y = copy.deepcopy(x); y["statement"].update(mod); out.append(y)
        for cmd in [{"type": "init_db", "schema": "shop"}, {"type": "init_db", "schema": "mysql"}, {"type": "field_list", "table": "customers"}, {"type": "ping"}, {"type": "connect"}, {"type": "statistics"}, {"type": "query"}]:
            x = copy.deepcopy(b); x["command"] = cmd; out.append(x)
            y = copy.deepcopy(x); y.pop("statement", None); out.append(y)
    x = copy.deepcopy(base[0]); x["version"] = 2; out.append(x)
    x = copy.deepcopy(base[0]); x.pop("version"); out.append(x)

    return out


def ask(port, document):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/v1/data/agentgate/decision", json.dumps({"input": document}),
                       {"Content-Type": "application/json"})
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return answer.get("result")


def main():
    before, after = int(sys.argv[1]), int(sys.argv[2])
    inputs = corpus()
    differing, actions = 0, {}
    for document in inputs:
        old, new = ask(before, document), ask(after, document)
        action = old and old.get("action")
        actions[action] = actions.get(action, 0) + 1
        kind = (document.get("statement") or {}).get("type")
        if isinstance(kind, str) and kind != kind.lower():
            if not (new and new["action"] == "deny" and "contract: statement type" in new["reason"]):
                differing += 1
                print("not refused as a contract violation:", json.dumps(document)[:300], "->", new)
            continue
        if old != new:
            differing += 1
            if differing <= 5:
                print("differs:", json.dumps(document)[:300], "\n  before:", old, "\n  after: ", new)
    print(f"inputs {len(inputs)}, differing {differing}, decisions before by action {actions}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
