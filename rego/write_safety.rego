# UPDATE and DELETE without WHERE touch every row: denied for everyone.
package agentgate

deny contains msg if {
	is_parsed
	is_unbounded_write_type
	not has_where
	msg := sprintf("unbounded_write: %s without a WHERE clause would change every row of %s", [
		statement_label, statement_table_names,
	])
}
