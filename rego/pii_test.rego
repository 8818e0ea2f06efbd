package agentgate_test

customer_columns := [{"schema": "shop", "table": "customers", "name": "*", "uses": ["select"]}]

test_an_agent_reading_customers_gets_pii_masked if {
	d := decide_query(agent, facts_with("select", [read("customers")], {"columns": customer_columns}))
	d.action == "mask"
	d.rules == ["pii"]
	d.masks["*.customers.email"] == {"strategy": "email"}
	d.masks["*.customers.ssn"] == {"strategy": "partial", "params": {"keep_last": 4}}
	d.masks["*.customers.phone"].strategy == "partial"
	not d.masks["*.payment_methods.card_number"]
	d.obligations == {"max_rows": 1000, "statement_timeout_ms": 5000}
	d.cache_key == "digest"
}

test_masks_follow_the_table_whatever_its_case if {
	d := decide_query(agent, facts("select", [{"schema": "Shop", "name": "CUSTOMERS", "access": "read"}]))
	d.action == "mask"
}

test_a_dba_reads_customers_unmasked if {
	decide_query(dba, facts("select", [read("customers")])).action == "allow"
}

test_a_service_that_is_not_an_agent_reads_customers_unmasked if {
	decide_query(service, facts("select", [read("customers")])).action == "allow"
}

test_an_agent_may_not_filter_on_a_masked_column if {
	columns := [{"schema": "shop", "table": "customers", "name": "ssn", "uses": ["filter"]}]
	d := decide_query(agent, facts_with("select", [read("customers")], {"columns": columns}))
	d.action == "deny"
	reason_mentions(d, "pii: agents may not use masked column ssn (*.customers.ssn) in FILTER")
}

test_an_unattributed_masked_column_is_covered_by_the_statements_tables if {
	columns := [{"schema": null, "table": null, "name": "email", "uses": ["order"]}]
	d := decide_query(agent, facts_with("select", [read("orders"), read("customers")], {"columns": columns}))
	d.action == "deny"
	"pii" in d.rules
}

test_a_same_named_column_of_another_table_is_not_masked if {
	columns := [{"schema": "shop", "table": "orders", "name": "email", "uses": ["filter"]}]
	decide_query(agent, facts_with("select", [read("orders")], {"columns": columns})).action == "allow"
}

test_an_agent_with_an_unmasked_role_reads_customers_unmasked if {
	dba_agent := json.patch(agent, [{"op": "replace", "path": "/claims/groups", "value": ["ai-agents", "dba"]}])
	d := decide_query(dba_agent, facts("select", [read("customers")]))
	d.action == "allow"
	d.obligations.max_rows == 1000
}

test_an_agent_may_write_a_masked_column_it_does_not_read if {
	columns := [{"schema": "shop", "table": "customers", "name": "email", "uses": ["write"]}]
	d := decide_query(agent, facts_with("insert", [write("customers")], {"columns": columns}))
	not "pii" in d.rules
}

test_an_agent_may_not_copy_a_masked_table_into_another_table if {
	d := decide_query(agent, facts("insert", [write("orders"), read("customers")]))
	d.action == "deny"
	reason_mentions(d, "pii: agents may not copy from tables with masked columns into shop.orders")
}

test_an_agent_may_not_copy_a_masked_table_into_user_variables if {
	d := decide_query(agent, facts_with("select", [read("customers")], {"features": ["into_variables"]}))
	d.action == "deny"
	reason_mentions(d, "into user variables")
}
