package agentgate_test

grant_on_shop := facts("grant", [{"schema": "shop", "name": "*", "access": "ddl"}])

test_a_dba_may_grant if {
	d := decide_query(dba, grant_on_shop)
	d.action == "allow"
}

test_a_service_may_not_grant if {
	d := decide_query(service, grant_on_shop)
	d.action == "deny"
	d.rules == ["admin"]
	reason_mentions(d, "admin: GRANT statements need an admin role; svc-orders (issuer https://idp.example.com) has none")
}

test_create_user_is_admin_not_a_migration if {
	d := decide_query(ci_main, facts("create_user", []))
	d.rules == ["admin"]
}
