package agentgate_test

test_ci_on_main_may_create_a_table if {
	d := decide_query(ci_main, facts("create_table", [ddl("invoices")]))
	d.action == "allow"
	not d.obligations
}

test_ci_on_main_may_alter_a_table if {
	decide_query(ci_main, facts("alter_table", [ddl("orders")])).action == "allow"
}

test_ci_on_another_branch_may_not_migrate if {
	d := decide_query(ci_branch, facts("alter_table", [ddl("orders")]))
	d.action == "deny"
	"migrations" in d.rules
	reason_mentions(d, "migrations: schema changes (ALTER TABLE) run only from CI migrations on the main branch")
}

test_the_dba_role_says_it_makes_no_schema_changes if {
	description := data.agentgate.config.roles.dba.description
	not contains(description, "everything")
	contains(description, "no schema changes")
}

test_a_dba_may_not_alter_a_table_outside_ci if {
	d := decide_query(dba, facts("alter_table", [ddl("orders")]))
	d.action == "deny"
	"migrations" in d.rules
}

test_an_agent_may_not_create_an_index if {
	d := decide_query(agent, facts("create_index", [ddl("orders")]))
	d.action == "deny"
	"migrations" in d.rules
}

test_a_statement_with_a_ddl_table_is_ddl_whatever_its_type if {
	d := decide_query(service, facts("other", [ddl("orders")]))
	d.action == "deny"
	"migrations" in d.rules
}

test_ci_on_main_with_a_workflow_file_from_another_branch_may_not_migrate if {
	other_workflow := json.patch(ci_main, [{
		"op": "replace", "path": "/claims/job_workflow_ref",
		"value": "acme/shop/.github/workflows/migrate.yml@refs/heads/feature-x",
	}])
	d := decide_query(other_workflow, facts("create_table", [ddl("invoices")]))
	d.action == "deny"
	"migrations" in d.rules
}

test_another_repository_may_not_migrate if {
	fork := json.patch(ci_main, [{"op": "replace", "path": "/claims/repository", "value": "mallory/shop"}])
	decide_query(fork, facts("create_table", [ddl("invoices")])).action == "deny"
}
