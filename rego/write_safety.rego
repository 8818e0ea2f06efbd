# UPDATE and DELETE without WHERE touch every row: denied for everyone.
package agentgate

# The type tested on the input itself, so OPA's rule index skips this rule for
# other statements.
deny contains msg if {
	input.statement.type in {"update", "delete"}
	is_parsed
	not has_where
	msg := sprintf("unbounded_write: %s without a WHERE clause would change every row of %s", [
		statement_label, statement_table_names,
	])
}
