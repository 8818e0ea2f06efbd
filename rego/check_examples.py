#!/usr/bin/env python3
"""Checks the contract examples in docs/schemas/examples against the policy.

Each example is {"description", "expected_action", "input"}. For each one:
the input must validate against policy-input.v1.json, the decision that
`opa eval` computes from rego/ must validate against policy-decision.v1.json,
and its action must be the expected one. Exit status 1 on any problem.
Schema validation needs the python package jsonschema; without it the
schemas are skipped with a warning and only the actions are checked.
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"


def validator(name):
    try:
        from jsonschema import Draft202012Validator
    except ImportError:
        return None
    schema = json.loads((SCHEMAS / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def decide(opa, example_input):
    result = subprocess.run(
        [opa, "eval", "--format=json", "--stdin-input", "--data", str(ROOT / "rego"), "data.agentgate.decision"],
        input=json.dumps(example_input), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["result"][0]["expressions"][0]["value"]


def problems_of(path, opa, input_validator, decision_validator):
    example = json.loads(path.read_text())
    problems = []
    if input_validator:
        problems += [f"input: {e.message} at {list(e.path)}" for e in input_validator.iter_errors(example["input"])]
    decision = decide(opa, example["input"])
    if decision_validator:
        problems += [f"decision: {e.message} at {list(e.path)}" for e in decision_validator.iter_errors(decision)]
    if decision.get("action") != example["expected_action"]:
        problems.append(f"action {decision.get('action')!r}, expected {example['expected_action']!r}: {decision.get('reason')}")
    return problems


def main():
    opa = sys.argv[1] if len(sys.argv) > 1 else "opa"
    input_validator = validator("policy-input.v1.json")
    decision_validator = validator("policy-decision.v1.json")
    if input_validator is None:
        print("WARNING: python3 jsonschema not installed; schemas not validated (pip install jsonschema)")
    failed = 0
    for path in sorted((SCHEMAS / "examples").glob("*.json")):
        problems = problems_of(path, opa, input_validator, decision_validator)
        print(("FAIL " if problems else "ok   ") + path.name)
        for problem in problems:
            print("     " + problem)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
