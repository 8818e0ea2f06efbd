# Test fixtures: identities, a session and statement facts shaped like the
# gateway's input (docs/schemas/policy-input.v1.json).
package agentgate_test

import data.agentgate

agent := {"issuer": "https://idp.example.com", "subject": "agent-7", "claims": {"sub": "agent-7", "groups": ["staff", "ai-agents"]}}

dev_agent := {"issuer": "agentgate-dev", "subject": "dev-agent", "claims": {"sub": "dev-agent", "agent": "true"}}

service := {"issuer": "https://idp.example.com", "subject": "svc-orders", "claims": {"sub": "svc-orders"}}

dba := {"issuer": "https://idp.example.com", "subject": "alice", "claims": {"sub": "alice", "groups": ["dba"]}}

ci_main := {
	"issuer": "https://token.actions.githubusercontent.com",
	"subject": "repo:acme/shop:ref:refs/heads/main",
	"claims": {
		"repository": "acme/shop", "ref": "refs/heads/main", "workflow": "migrate", "run_attempt": 1,
		"job_workflow_ref": "acme/shop/.github/workflows/migrate.yml@refs/heads/main",
	},
}

ci_branch := json.patch(ci_main, [{"op": "replace", "path": "/claims/ref", "value": "refs/heads/feature-x"}])

stranger := {"issuer": "https://evil.example.com", "subject": "mallory", "claims": {"sub": "mallory"}}

session := {
	"id": 12,
	"target": "appdb",
	"database": "shop",
	"client_address": "10.1.2.3:50312",
	"tls": true,
	"client_program": "mysql",
	"connect_attrs": {"_client_name": "libmariadb", "program_name": "mysql"},
	"started_at": "2026-11-23T23:50:00Z",
	"token_expires_at": "2026-11-24T00:50:00Z",
}

read(name) := {"schema": "shop", "name": name, "access": "read"}

write(name) := {"schema": "shop", "name": name, "access": "write"}

ddl(name) := {"schema": "shop", "name": name, "access": "ddl"}

facts(type, tables) := {
	"sql": sprintf("-- a %s statement", [type]),
	"type": type,
	"parsed": true,
	"parse_error": null,
	"tables": tables,
	"columns": [],
	"databases": [],
	"functions": [],
	"where_clause": false,
	"limit_clause": false,
	"features": [],
	"digest": sprintf("-- a %s statement", [type]),
	"digest_hash": "0000000000000000000000000000000000000000000000000000000000000000",
}

# facts with some fields replaced
facts_with(type, tables, changes) := object.union(facts(type, tables), changes)

query(identity, statement) := {
	"version": 1,
	"identity": identity,
	"session": session,
	"command": {"type": "query"},
	"statement": statement,
}

command(identity, cmd) := {
	"version": 1,
	"identity": identity,
	"session": session,
	"command": cmd,
}

decide(request) := decision if {
	decision := agentgate.decision with input as request
}

# the decision for one statement of an identity
decide_query(identity, statement) := decide(query(identity, statement))

reason_mentions(decision, text) if contains(decision.reason, text)
