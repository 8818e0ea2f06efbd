# DROP and TRUNCATE destroy data: a human approves each one.
package agentgate

# The prefix test on the input's type first, for OPA's rule index (as is_destructive).
approval contains msg if {
	strings.any_prefix_match(input.statement.type, ["drop", "truncate"])
	is_parsed
	is_destructive
	msg := sprintf("destructive: %s of %s needs approval by %s", [
		statement_label, statement_table_names, concat(", ", cfg.approval.approvers),
	])
}
