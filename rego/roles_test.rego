package agentgate_test

test_an_agent_is_recognised_by_one_of_its_group_claims if {
	d := decide_query(agent, facts("select", [read("orders")]))
	d.action == "mask"
	d.obligations.max_rows == 1000
}

test_a_dev_agent_is_recognised_by_a_string_claim if {
	decide_query(dev_agent, facts("select", [read("orders")])).action == "mask"
}

test_a_boolean_claim_matches_its_text_in_data if {
	boolean_agent := json.patch(dev_agent, [{"op": "replace", "path": "/claims/agent", "value": true}])
	decide_query(boolean_agent, facts("select", [read("orders")])).action == "mask"
}

test_a_binding_with_a_subject_matches_only_that_subject if {
	decide_query(service, facts("insert", [write("orders")])).action == "allow"
	other := json.patch(service, [{"op": "replace", "path": "/subject", "value": "svc-other"}])
	decide_query(other, facts("insert", [write("orders")])).action == "deny"
}

test_an_identity_without_a_role_binding_is_denied_naming_the_roles_rule if {
	d := decide_query(stranger, facts("select", [read("orders")]))
	d.action == "deny"
	d.rules == ["roles"]
	reason_mentions(d, "no role binding in data.json matches mallory (issuer https://evil.example.com)")
}

test_a_non_agent_gets_no_obligations if {
	d := decide_query(service, facts("select", [read("orders")]))
	d.action == "allow"
	not d.obligations
}

test_dev_tokens_choose_a_dev_role_by_claim if {
	dev_writer := {"issuer": "agentgate-dev", "subject": "dev-writer", "claims": {"role": "orders_writer"}}
	decide_query(dev_writer, facts("insert", [write("orders")])).action == "allow"
	dev_dba := {"issuer": "agentgate-dev", "subject": "dev-dba", "claims": {"role": "dba"}}
	decide_query(dev_dba, facts("select", [read("customers")])).action == "allow"
}
