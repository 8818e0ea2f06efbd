# DROP and TRUNCATE destroy data: a human approves each one.
package agentgate

approval contains msg if {
	is_parsed
	is_destructive
	msg := sprintf("destructive: %s of %s needs approval by %s", [
		statement_label, statement_table_names, concat(", ", cfg.approval.approvers),
	])
}
