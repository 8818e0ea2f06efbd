package agentgate_test

test_an_agent_reads_a_granted_table if {
	d := decide_query(agent, facts("select", [read("orders")])) with data.agentgate.config as no_pii_config
	d.action == "allow"
	d.rules == ["allow"]
	reason_mentions(d, "allow: agent-7 (issuer https://idp.example.com) may run SELECT on target appdb")
}

test_reading_a_table_outside_the_grants_is_denied if {
	d := decide_query(agent, facts("select", [{"schema": "mysql", "name": "user", "access": "read"}]))
	d.action == "deny"
	d.rules == ["table_access"]
	reason_mentions(d, "have no read grant on mysql.user (target appdb)")
}

test_grants_match_names_case_insensitively if {
	decide_query(service, facts("insert", [{"schema": "SHOP", "name": "Orders", "access": "write"}])).action == "allow"
}

test_writing_a_table_granted_only_for_reading_is_denied if {
	d := decide_query(service, facts("update", [write("customers")]))
	d.action == "deny"
	reason_mentions(d, "no write grant on shop.customers")
}

test_an_unqualified_table_without_a_current_database_is_denied if {
	d := decide_query(service, facts("select", [{"schema": null, "name": "orders", "access": "read"}]))
	d.action == "deny"
	reason_mentions(d, "no read grant on null.orders")
}

test_use_of_a_granted_schema_is_allowed if {
	decide_query(agent, facts_with("use", [], {"databases": ["shop"]})).action == "allow"
}

test_use_of_a_schema_outside_the_grants_is_denied if {
	d := decide_query(agent, facts_with("use", [], {"databases": ["mysql"]}))
	d.action == "deny"
	reason_mentions(d, "no grant on schema mysql")
}

test_init_db_follows_the_schema_grants if {
	decide(command(agent, {"type": "init_db", "schema": "shop"})).action == "allow"
	decide(command(agent, {"type": "init_db", "schema": "mysql"})).action == "deny"
}

test_field_list_needs_a_read_grant_on_the_table if {
	decide(command(agent, {"type": "field_list", "schema": "shop", "table": "customers"})).action == "allow"
	d := decide(command(agent, {"type": "field_list", "table": "user", "schema": "mysql"}))
	d.action == "deny"
	reason_mentions(d, "no read grant on mysql.user")
}

test_field_list_without_a_schema_uses_the_current_database if {
	decide(command(agent, {"type": "field_list", "table": "orders"})).action == "allow"
}

# The shipped config without PII columns: an agent's reads are plain allows.
no_pii_config := json.patch(data.agentgate.config, [{"op": "replace", "path": "/pii_columns", "value": {}}])
