package agentgate_test

test_a_statement_type_no_rule_allows_is_denied_by_default if {
	d := decide_query(service, facts("handler", [read("orders")]))
	d.action == "deny"
	d.rules == ["default_deny"]
	reason_mentions(d, "default_deny: no rule allows HANDLER for svc-orders (issuer https://idp.example.com)")
}

test_several_deny_reasons_are_all_given_in_order if {
	d := decide_query(agent, facts_with("delete", [write("orders")], {"features": ["sleep"]}))
	d.rules == ["dangerous_feature", "readonly", "table_access", "unbounded_write"]
	startswith(d.reason, "dangerous_feature: SLEEP")
}

test_deny_wins_over_approval if {
	d := decide_query(ci_main, facts_with("drop_table", [ddl("orders")], {"features": ["versioned_comment", "sleep"]}))
	d.action == "deny"
}

test_a_parsed_decision_is_cacheable_by_digest if {
	d := decide_query(agent, facts("select", [read("orders")]))
	d.cache_ttl_s == 60
	d.cache_key == "digest"
	d.version == 1
}

test_a_parsed_deny_is_cacheable_too if {
	d := decide_query(service, facts("delete", [write("orders")]))
	d.cache_ttl_s == 60
}

test_a_decision_with_lineage_is_cached_by_digest_as_the_gateway_adds_the_lineage_to_the_key if {
	statement := object.union(facts("select", [read("customers")]), {"lineage": {"columns": [], "complete": true, "masked_uses": []}})
	d := decide_query(agent, statement)
	d.cache_ttl_s == 60
	d.cache_key == "digest"
}
