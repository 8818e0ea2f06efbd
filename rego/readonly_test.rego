package agentgate_test

test_a_read_only_agent_may_not_insert if {
	d := decide_query(agent, facts("insert", [write("orders")]))
	d.action == "deny"
	"readonly" in d.rules
	reason_mentions(d, "readonly: agent-7 (issuer https://idp.example.com) is read-only; INSERT statements are not allowed")
}

test_a_read_only_agent_may_not_call_procedures if {
	d := decide_query(agent, facts("call", []))
	d.action == "deny"
	d.rules == ["readonly"]
}

test_a_read_only_agent_may_show_set_and_use_transactions if {
	every type in ["show", "set", "start_transaction", "commit", "rollback", "explain", "describe"] {
		decide_query(agent, facts(type, [])).action == "allow"
	}
}

test_a_service_that_also_writes_is_not_read_only if {
	decide_query(service, facts("insert", [write("order_items")])).action == "allow"
}
