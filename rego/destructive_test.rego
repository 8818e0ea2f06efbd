package agentgate_test

test_drop_table_by_ci_needs_approval if {
	d := decide_query(ci_main, facts("drop_table", [ddl("legacy_orders")]))
	d.action == "require_approval"
	d.rules == ["destructive"]
	d.approval == {"approvers": ["dba-oncall"], "channel": "slack:#db-approvals", "timeout_s": 300}
	reason_mentions(d, "destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall")
}

# The quickstart's migrate job: the same CI claims on a token of the dev issuer (dev mode only).
test_drop_table_by_the_dev_migrate_job_needs_approval if {
	dev_ci := json.patch(ci_main, [{"op": "replace", "path": "/issuer", "value": "agentgate-dev"}])
	d := decide_query(dev_ci, facts("drop_table", [ddl("orders_2019")]))
	d.action == "require_approval"
	d.rules == ["destructive"]
}

test_truncate_by_ci_needs_approval if {
	decide_query(ci_main, facts("truncate_table", [ddl("orders")])).action == "require_approval"
}

test_an_approval_decision_is_never_cached if {
	d := decide_query(ci_main, facts("drop_table", [ddl("orders")]))
	not d.cache_ttl_s
}

test_drop_outside_ci_is_denied_not_sent_for_approval if {
	d := decide_query(dba, facts("drop_table", [ddl("orders")]))
	d.action == "deny"
	"migrations" in d.rules
}
