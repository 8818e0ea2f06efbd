package agentgate_test

test_delete_without_where_is_denied if {
	d := decide_query(service, facts("delete", [write("orders")]))
	d.action == "deny"
	d.rules == ["unbounded_write"]
	reason_mentions(d, "unbounded_write: DELETE without a WHERE clause would change every row of shop.orders")
}

test_update_without_where_is_denied_even_for_ci if {
	d := decide_query(ci_main, facts("update", [write("orders")]))
	d.action == "deny"
	d.rules == ["unbounded_write"]
}

test_delete_with_where_is_allowed if {
	decide_query(service, facts_with("delete", [write("orders")], {"where_clause": true})).action == "allow"
}
