package agentgate_test

import data.agentgate

# what opa-bundle/build.sh writes into the bundle (built.rego), made here from
# data.json (through JSON, as the build does: sets become arrays)
built_from_data_json := json.unmarshal(json.marshal({"config": data.agentgate.config, "lookups": agentgate.derived_lookups}))

# one request of each kind the shipped rules tell apart
lookup_requests := [
	query(agent, facts("select", [read("customers")])),
	query(agent, facts_with("select", [read("customers")], {"columns": [{"schema": "shop", "table": "customers", "name": "ssn", "uses": ["filter"]}]})),
	query(dev_agent, facts("select", [read("orders")])),
	query(service, facts_with("update", [write("orders")], {"where_clause": true})),
	query(dba, facts("grant", [])),
	query(ci_main, facts("drop_table", [ddl("orders")])),
	query(ci_branch, facts("create_table", [ddl("orders")])),
	query(stranger, facts("select", [read("orders")])),
	command(agent, {"type": "connect"}),
	command(dba, {"type": "connect"}),
]

test_the_bundles_constants_give_every_decision_that_data_json_gives if {
	every request in lookup_requests {
		with_constants := decide(request) with data.agentgate.built as built_from_data_json
		with_constants == decide(request)
	}
}

test_the_bundles_constants_are_read_instead_of_data_json_when_present if {
	agentgate.cfg == {"marker": true} with data.agentgate.built as {"config": {"marker": true}, "lookups": {}}
	agentgate.lookups == {"marker": true} with data.agentgate.built as {"config": {}, "lookups": {"marker": true}}
}

test_role_bindings_are_grouped_by_issuer_in_the_order_of_data_json if {
	dev := agentgate.derived_lookups.bindings_by_issuer["agentgate-dev"]
	[binding.roles | some binding in dev] == [["agent_readonly"], ["orders_writer"], ["dba"], ["migrator"]]
	count(agentgate.derived_lookups.bindings_by_issuer) == 3
}

test_the_role_flags_lookup_names_the_flags_a_role_sets if {
	agentgate.derived_lookups.role_flags.agent_readonly == {"agent"}
	agentgate.derived_lookups.role_flags.dba == {"admin", "unmasked"}
	agentgate.derived_lookups.role_flags.migrator == set()
}

test_patterns_with_braces_have_no_combined_glob if {
	agentgate.derived_lookups.pii_any == null with data.agentgate.config.pii_columns as {"{shop,crm}.contacts.phone": {"strategy": "null"}}
	agentgate.derived_lookups.pii_column_any == null with data.agentgate.config.pii_columns as {"{shop,crm}.contacts.phone": {"strategy": "null"}}
	agentgate.derived_lookups.pii_column_any == "{card_number,date_of_birth,email,phone,ssn}"
	agentgate.derived_lookups.pii_any == "{*.customers.date_of_birth,*.customers.email,*.customers.phone,*.customers.ssn,*.payment_methods.card_number}"
}

test_grant_patterns_are_lower_cased_once_so_names_still_match_in_any_case if {
	upper_grant := [{"target": "*", "schema": "SHOP", "table": "Orders", "access": ["read"]}]
	agentgate.derived_lookups.grants.agent_readonly == [{"target": "*", "schema": "shop", "table": "orders", "access": ["read"]}] with data.agentgate.config.roles.agent_readonly.grants as upper_grant
	d := decide_query(agent, facts("select", [{"schema": "Shop", "name": "ORDERS", "access": "read"}])) with data.agentgate.config.roles.agent_readonly.grants as upper_grant
	d.action == "mask"
}

test_a_grant_pattern_that_is_no_string_matches_nothing if {
	odd_grant := [{"target": "*", "schema": 7, "table": "*", "access": ["read"]}]
	d := decide_query(agent, facts("select", [read("orders")])) with data.agentgate.config.roles.agent_readonly.grants as odd_grant
	d.rules == ["table_access"]
}
