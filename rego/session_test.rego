package agentgate_test

import data.agentgate

connect(identity) := command(identity, {"type": "connect"})

test_an_agent_may_open_a_session_of_at_most_an_hour if {
	d := decide(connect(agent))
	d.action == "allow"
	d.rules == ["session"]
	d.obligations == {"max_session_s": 3600, "idle_timeout_s": 900}
	reason_mentions(d, "agent-7 (issuer https://idp.example.com) may open a session on target appdb (roles agent_readonly) for at most 3600 s")
}

test_a_session_decision_is_never_cached if {
	d := decide(connect(agent))
	not d.cache_ttl_s
}

test_a_role_without_session_limits_opens_an_unlimited_session if {
	d := decide(connect(service))
	d.action == "allow"
	not d.obligations
	not contains(d.reason, "at most")
}

test_an_identity_with_several_roles_gets_the_smallest_limit if {
	both := json.patch(dba, [{"op": "replace", "path": "/claims/groups", "value": ["dba", "ai-agents"]}])
	d := decide(connect(both))
	d.obligations.max_session_s == 3600
	d.obligations.idle_timeout_s == 900
}

test_a_dba_session_lasts_at_most_a_working_day if {
	decide(connect(dba)).obligations == {"max_session_s": 28800}
}

test_an_identity_without_a_role_may_not_open_a_session if {
	d := decide(connect(stranger))
	d.action == "deny"
	d.rules == ["roles"]
}

test_a_session_on_a_target_no_role_grants_is_denied if {
	d := agentgate.decision with input as connect(agent)
		with data.agentgate.config.roles.agent_readonly.grants as [{"target": "reporting", "schema": "*", "table": "*", "access": ["read"]}]
	d.action == "deny"
	reason_mentions(d, "session: roles agent_readonly of agent-7 (issuer https://idp.example.com) have no grant on target appdb")
}
