package agentgate_test

unparsed := facts_with("other", [], {"parsed": false, "parse_error": "parse timed out after 200 ms"})

test_an_agent_may_not_run_unparseable_sql if {
	d := decide_query(agent, unparsed)
	d.action == "deny"
	d.rules == ["unparsed"]
	reason_mentions(d, "unparsed: agents may not run SQL the gateway cannot analyse (parse timed out after 200 ms)")
	not d.cache_ttl_s
}

test_unparseable_sql_of_a_non_agent_needs_approval if {
	d := decide_query(service, unparsed)
	d.action == "require_approval"
	d.rules == ["unparsed"]
}

test_unparsed_facts_without_a_parse_error_still_give_a_reason if {
	d := decide_query(agent, object.remove(unparsed, ["parse_error"]))
	reason_mentions(d, "(no parse error given)")
}

test_an_unparsed_statement_of_an_allowed_type_is_not_allowed if {
	d := decide_query(agent, facts_with("select", [read("orders")], {"parsed": false}))
	d.action == "deny"
}

test_a_parser_stop_at_a_known_construct_names_the_construct if {
	d := decide_query(agent, facts_with("select", [], {"parsed": false, "parse_error": "Encountered unexpected token: \"INTO\" \"INTO\""}))
	d.reason == "unparsed: agents may not run SQL the gateway cannot analyse (SELECT ... INTO @var (or INTO OUTFILE) in this position is not supported)"
}

test_a_parser_stop_at_another_token_names_the_token_not_the_parser_dump if {
	d := decide_query(agent, facts_with("select", [], {"parsed": false, "parse_error": "Encountered unexpected token: \"MATCH\" <K_MATCH> at line 1"}))
	d.reason == "unparsed: agents may not run SQL the gateway cannot analyse (\"MATCH\" is not supported there)"
}
