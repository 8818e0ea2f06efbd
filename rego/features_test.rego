package agentgate_test

test_into_outfile_is_denied_even_for_a_dba if {
	d := decide_query(dba, facts_with("select", [read("orders")], {"features": ["into_outfile"]}))
	d.action == "deny"
	d.rules == ["dangerous_feature"]
	reason_mentions(d, "dangerous_feature: INTO OUTFILE writes a file on the database server")
}

test_a_sleep_call_is_denied if {
	d := decide_query(agent, facts_with("select", [], {"functions": ["NOW", "SLEEP"]}))
	d.action == "deny"
	reason_mentions(d, "SLEEP holds a connection")
}

test_load_file_and_benchmark_are_denied if {
	every f in ["load_file", "benchmark"] {
		decide_query(service, facts_with("select", [], {"features": [f]})).action == "deny"
	}
}

test_load_data_is_denied if {
	d := decide_query(service, facts("load_data", [write("orders")]))
	d.action == "deny"
	reason_mentions(d, "LOAD DATA bulk-loads a file")
}

test_informational_features_do_not_deny if {
	decide_query(service, facts_with("select", [read("orders")], {"features": ["user_variables", "multiple_statements"]})).action == "allow"
}
