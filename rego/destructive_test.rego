package agentgate_test

test_drop_table_by_ci_needs_approval if {
	d := decide_query(ci_main, facts("drop_table", [ddl("legacy_orders")]))
	d.action == "require_approval"
	d.rules == ["destructive"]
	d.approval == {"approvers": ["dba-oncall"], "channel": "slack:#db-approvals", "timeout_s": 300}
	reason_mentions(d, "destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall")
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
