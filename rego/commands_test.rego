package agentgate_test

test_a_query_without_statement_facts_is_denied if {
	d := decide(command(agent, {"type": "query"}))
	d.action == "deny"
	reason_mentions(d, "contract: command query arrived without statement facts")
}

test_another_input_version_is_denied if {
	d := decide(object.union(query(agent, facts("select", [read("orders")])), {"version": 2}))
	d.action == "deny"
	d.rules == ["contract"]
	reason_mentions(d, "contract: input version 2 is not supported")
}

test_a_missing_input_version_is_denied if {
	d := decide(object.remove(query(agent, facts("select", [read("orders")])), ["version"]))
	reason_mentions(d, "input version missing is not supported")
}

test_a_statement_type_not_in_lower_case_is_denied if {
	d := decide_query(service, facts("Update", [write("orders")]))
	d.action == "deny"
	d.rules == ["contract"]
	reason_mentions(d, "contract: statement type Update is not a string in lower case")
}

test_a_statement_without_a_type_is_denied if {
	d := decide_query(service, object.remove(facts("select", [read("orders")]), ["type"]))
	d.action == "deny"
	reason_mentions(d, "contract: statement type missing is not a string in lower case")
}

test_a_statement_type_that_is_not_a_string_is_denied if {
	d := decide_query(service, facts(7, [read("orders")]))
	d.action == "deny"
	reason_mentions(d, "contract: statement type 7 is not a string in lower case")
}

test_a_lower_case_statement_type_is_not_a_contract_violation if {
	d := decide_query(service, facts_with("update", [write("orders")], {"where_clause": true}))
	d.action == "allow"
}

test_a_harmless_command_is_allowed if {
	d := decide(command(agent, {"type": "ping"}))
	d.action == "allow"
	reason_mentions(d, "may run command ping")
	not d.cache_ttl_s
}

test_an_unknown_command_is_denied_by_default if {
	d := decide(command(service, {"type": "binlog_dump"}))
	d.action == "deny"
	d.rules == ["default_deny"]
	reason_mentions(d, "default_deny: no rule allows command binlog_dump for svc-orders")
}

test_execute_is_decided_on_the_prepared_statement_facts if {
	request := object.union(query(agent, facts("select", [read("orders")])), {"command": {"type": "execute", "statement_id": 1}})
	decide(request).action == "mask"
}

test_init_db_without_a_schema_is_denied_by_default if {
	decide(command(agent, {"type": "init_db"})).action == "deny"
}

test_field_list_without_a_table_is_denied_by_default if {
	decide(command(agent, {"type": "field_list", "schema": "shop"})).action == "deny"
}

test_an_input_without_identity_or_command_is_still_denied_with_a_reason if {
	d := decide({"version": 1, "session": session})
	d.action == "deny"
	reason_mentions(d, "roles: no role binding in data.json matches ? (issuer ?)")
}
