package agentgate_test

customer_columns := [{"schema": "shop", "table": "customers", "name": "*", "uses": ["select"]}]

test_an_agent_reading_customers_gets_pii_masked if {
	d := decide_query(agent, facts_with("select", [read("customers")], {"columns": customer_columns}))
	d.action == "mask"
	d.rules == ["pii"]
	d.masks["*.customers.email"] == {"strategy": "email"}
	d.masks["*.customers.ssn"] == {"strategy": "partial", "params": {"keep_last": 4}}
	d.masks["*.customers.phone"].strategy == "partial"
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
	reason_mentions(d, "pii: agents may not use masked column shop.customers.ssn in filter")
}

test_an_unattributed_masked_column_is_covered_by_the_statements_tables if {
	columns := [{"schema": null, "table": null, "name": "email", "uses": ["order"]}]
	d := decide_query(agent, facts_with("select", [read("orders"), read("customers")], {"columns": columns}))
	d.action == "deny"
	"pii" in d.rules
}

test_a_filter_on_a_same_named_column_of_another_table_is_not_refused if {
	columns := [{"schema": "shop", "table": "orders", "name": "email", "uses": ["filter"]}]
	decide_query(agent, facts_with("select", [read("orders")], {"columns": columns})).action == "mask"
}

# A view or stored function may read a PII column under another name: every
# row-returning statement of an agent under masking carries all the masks, so
# the gateway's lineage (second ask) decides which columns they hit.
test_an_agent_reading_a_table_without_pii_still_gets_every_mask if {
	d := decide_query(agent, facts("select", [read("v_customers")]))
	d.action == "mask"
	object.keys(d.masks) == object.keys(data.agentgate.config.pii_columns)
}

test_an_agent_selecting_no_table_still_gets_every_mask if {
	d := decide_query(agent, facts("select", []))
	d.action == "mask"
}

test_a_dba_selecting_a_view_is_not_masked if {
	decide_query(dba, facts("select", [read("v_customers")])).action == "allow"
}

test_an_agent_copying_a_table_without_pii_into_user_variables_is_not_refused if {
	d := decide_query(agent, facts_with("select", [read("orders")], {"features": ["into_variables"]}))
	d.action == "mask"
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

test_an_unattributed_masked_column_is_named_by_its_name if {
	columns := [{"schema": null, "table": null, "name": "email", "uses": ["order"]}]
	d := decide_query(agent, facts_with("select", [read("customers")], {"columns": columns}))
	reason_mentions(d, "pii: agents may not use masked column email in order")
}

# A table written is as much a masked table as one read: the write is asked
# about again with its lineage (UPDATE customers SET name = ssn).

# an agent that may write every table of shop
decide_as_shop_writer(identity, statement) := decision if {
	decision := decide_query(identity, object.union(statement, {"where_clause": true}))
		with data.agentgate.config.roles.agent_readonly.read_only as false
		with data.agentgate.config.roles.agent_readonly.grants as [{"target": "*", "schema": "shop", "table": "*", "access": ["read", "write"]}]
}

test_a_writing_agent_updating_a_masked_table_gets_its_masks if {
	d := decide_as_shop_writer(agent, facts("update", [write("customers")]))
	d.action == "mask"
	d.masks["*.customers.ssn"].strategy == "partial"
	not "*.payment_methods.card_number" in object.keys(d.masks)
}

test_a_writing_agent_deleting_from_a_masked_table_gets_its_masks if {
	d := decide_as_shop_writer(agent, facts("delete", [write("customers")]))
	d.action == "mask"
}

test_a_writing_agent_is_not_refused_a_write_to_a_masked_table_that_reads_no_masked_table if {
	decide_as_shop_writer(agent, facts("update", [write("customers"), read("orders")])).action == "mask"
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

# Dynamic SQL and stored programs (first ask)

masking_bypass_types := [
	"prepare", "execute", "deallocate", "call",
	"create_view", "alter_view", "create_trigger", "create_event", "alter_event",
	"create_procedure", "alter_procedure", "create_function", "alter_function",
	"create_other", "alter_other",
]

# the agent role without its read_only flag: an agent that may also write
decide_as_writing_agent(identity, statement) := decision if {
	decision := decide_query(identity, statement) with data.agentgate.config.roles.agent_readonly.read_only as false
}

test_an_agent_under_masking_may_not_call_a_procedure_that_names_no_table if {
	d := decide_as_writing_agent(agent, facts("call", []))
	d.action == "deny"
	d.rules == ["pii"]
	reason_mentions(d, "pii: agents under masking may not run CALL statements (a stored procedure's results")
}

test_every_dynamic_sql_and_stored_program_statement_is_refused_to_an_agent_under_masking if {
	every type in masking_bypass_types {
		"pii" in decide_as_writing_agent(agent, facts(type, [])).rules
	}
}

test_execute_immediate_is_refused_to_an_agent_under_masking_as_execute if {
	d := decide_as_writing_agent(agent, facts_with("execute", [], {"sql": "EXECUTE IMMEDIATE 'SELECT ssn FROM customers'"}))
	reason_mentions(d, "pii: agents under masking may not run EXECUTE statements (dynamic SQL")
}

test_a_read_only_agent_gets_only_the_readonly_reason_for_a_prepare if {
	decide_query(agent, facts("prepare", [read("customers")])).rules == ["readonly"]
}

test_an_agent_under_masking_may_not_call_even_when_read_only_identities_may if {
	d := decide_query(agent, facts("call", [])) with data.agentgate.config.read_only_statement_types as ["select", "call"]
	d.action == "deny"
	d.rules == ["pii"]
}

test_an_unparsed_call_is_still_refused_to_an_agent_under_masking if {
	d := decide_query(agent, facts_with("call", [], {"parsed": false, "parse_error": "timeout"}))
	"pii" in d.rules
}

test_a_dba_is_not_refused_dynamic_sql_or_stored_programs_by_the_pii_rule if {
	every type in masking_bypass_types {
		not "pii" in decide_query(dba, facts(type, [])).rules
	}
}

test_an_agent_with_an_unmasked_role_is_not_refused_a_procedure_call_by_the_pii_rule if {
	dba_agent := json.patch(agent, [{"op": "replace", "path": "/claims/groups", "value": ["ai-agents", "dba"]}])
	not "pii" in decide_query(dba_agent, facts("call", [])).rules
}

test_a_service_that_is_not_an_agent_is_not_refused_stored_programs_by_the_pii_rule if {
	every type in masking_bypass_types {
		not "pii" in decide_query(service, facts(type, [])).rules
	}
}

test_an_agent_is_not_refused_dynamic_sql_when_no_pii_columns_are_configured if {
	d := decide_query(agent, facts("call", []))
		with data.agentgate.config.roles.agent_readonly.read_only as false
		with data.agentgate.config.pii_columns as [] # `with` merges into an object: [] stands for none
	not "pii" in d.rules
}

# Lineage (second ask)

# the statement as asked again with its column lineage
with_lineage(statement, complete, uses) := object.union(statement, {"lineage": {
	"columns": [{"name": "ssn", "sources": ["shop.customers.ssn"], "unknown": false}],
	"complete": complete,
	"incomplete_reason": null,
	"masked_uses": uses,
}})

customers_read := facts("select", [read("customers")])

test_a_masked_use_in_the_lineage_refuses_the_statement_naming_column_use_and_detail if {
	uses := [{"column": "shop.customers.email", "use": "filter", "detail": "WHERE"}]
	d := decide_query(agent, with_lineage(customers_read, true, uses))
	d.action == "deny"
	d.rules == ["pii"]
	d.reason == "pii: agents may not use masked column shop.customers.email in filter (WHERE)"
}

test_every_kind_of_masked_use_refuses_the_statement if {
	every use in [
		"filter", "group", "order", "join", "copy", "dynamic_sql", "definition", "error_channel",
		"computation", "write", "returning",
	] {
		uses := [{"column": "shop.customers.ssn", "use": use, "detail": "x"}]
		decide_query(agent, with_lineage(customers_read, true, uses)).action == "deny"
	}
}

test_a_refusal_for_several_masked_uses_names_the_first_and_counts_the_others if {
	uses := [
		{"column": "shop.customers.ssn", "use": "computation", "detail": "LOCATE() is not on the list of total functions"},
		{"column": "shop.customers.ssn", "use": "filter", "detail": "WHERE"},
		{"column": "shop.customers.email", "use": "order", "detail": "ORDER BY"},
	]
	d := decide_query(agent, with_lineage(customers_read, true, uses))
	d.reason == "pii: agents may not use masked column shop.customers.ssn in computation (LOCATE() is not on the list of total functions) and 2 more"
	count(d.reason) < 200
}

test_a_written_masked_column_refuses_the_write if {
	uses := [{"column": "shop.customers.ssn", "use": "write", "detail": "UPDATE customers SET"}]
	d := decide_as_shop_writer(agent, with_lineage(facts("update", [write("customers")]), true, uses))
	d.action == "deny"
	d.reason == "pii: agents may not use masked column shop.customers.ssn in write (UPDATE customers SET)"
}

test_a_masked_use_of_unknown_origin_is_named_as_such if {
	uses := [{"column": null, "use": "copy", "detail": "SET @v"}]
	d := decide_query(agent, with_lineage(customers_read, true, uses))
	d.reason == "pii: agents may not use a value of unknown origin in copy (SET @v)"
}

test_a_masked_use_without_a_detail_names_column_and_use_only if {
	uses := [{"column": "shop.customers.ssn", "use": "error_channel", "detail": null}]
	d := decide_query(agent, with_lineage(customers_read, true, uses))
	d.reason == "pii: agents may not use masked column shop.customers.ssn in error_channel"
}

test_a_lineage_without_masked_uses_keeps_the_masks_of_the_first_ask if {
	first := decide_query(agent, customers_read)
	second := decide_query(agent, with_lineage(customers_read, true, []))
	second.action == "mask"
	second.masks == first.masks
}

# ask_with_lineage: if_masked_uses promises that, for any lineage without
# masked uses, the answer with lineage is the first answer: the gateway then
# does not ask again. Held for complete and incomplete lineages alike.
test_a_mask_decision_is_final_for_every_lineage_without_masked_uses if {
	first := decide_query(agent, customers_read)
	first.ask_with_lineage == "if_masked_uses"
	every complete in [true, false] {
		decide_query(agent, with_lineage(customers_read, complete, [])) == first
	}
}

test_a_mask_decision_of_a_write_is_final_for_every_lineage_without_masked_uses if {
	update := facts("update", [write("customers")])
	first := decide_as_shop_writer(agent, update)
	first.action == "mask"
	first.ask_with_lineage == "if_masked_uses"
	decide_as_shop_writer(agent, with_lineage(update, true, [])) == first
}

test_an_incomplete_lineage_without_masked_uses_is_not_by_itself_denied if {
	d := decide_query(agent, with_lineage(customers_read, false, []))
	d.action == "mask"
}

test_a_dba_is_not_refused_for_masked_uses_in_the_lineage if {
	uses := [{"column": "shop.customers.ssn", "use": "filter", "detail": "WHERE"}]
	decide_query(dba, with_lineage(customers_read, true, uses)).action == "allow"
}

test_a_service_that_is_not_an_agent_is_not_refused_for_masked_uses_in_the_lineage if {
	uses := [{"column": "shop.customers.ssn", "use": "copy", "detail": "INSERT ... SELECT"}]
	decide_query(service, with_lineage(customers_read, true, uses)).action == "allow"
}

test_an_agent_under_masking_may_not_see_other_sessions_statements if {
	d := decide_query(agent, facts_with("show", [], {"digest": "SHOW FULL PROCESSLIST"}))
	d.action == "deny"
	reason_mentions(d, "pii: agents under masking may not run SHOW FULL PROCESSLIST (shows the statement text of other sessions")
}

test_an_agent_may_still_show_tables if {
	d := decide_query(agent, facts_with("show", [], {"digest": "SHOW TABLES"}))
	not "pii" in d.rules
}

test_a_dba_may_see_the_process_list if {
	not "pii" in decide_query(dba, facts_with("show", [], {"digest": "SHOW PROCESSLIST"})).rules
}

test_an_agent_under_masking_may_not_read_the_warnings_or_their_count if {
	d := decide_query(agent, facts_with("show", [], {"features": ["diagnostics_reads"], "digest": "SHOW COUNT ( * ) WARNINGS"}))
	d.action == "deny"
	reason_mentions(d, "pii: agents under masking may not read warnings or their count")
}

test_a_dba_may_read_the_warnings if {
	not "pii" in decide_query(dba, facts_with("show", [], {"features": ["diagnostics_reads"], "digest": "SHOW WARNINGS"})).rules
}

# Patterns in the glob syntax beyond "*" and "?" (braces here) are matched one
# by one instead of as one glob of alternatives: they still cover their columns.
test_a_pattern_with_braces_refuses_a_filter_on_its_column if {
	columns := [{"schema": "crm", "table": "contacts", "name": "phone", "uses": ["filter"]}]
	d := decide_query(agent, facts_with("select", [read("contacts")], {"columns": columns}))
		with data.agentgate.config.pii_columns as {"{shop,crm}.contacts.phone": {"strategy": "null"}}
	d.action == "deny"
	reason_mentions(d, "pii: agents may not use masked column crm.contacts.phone in filter")
}

test_an_agent_may_filter_by_a_column_no_pattern_covers if {
	columns := [{"schema": "shop", "table": "customers", "name": "id", "uses": ["filter"]}]
	d := decide_query(agent, facts_with("select", [read("customers")], {"columns": columns}))
	d.action == "mask"
}
