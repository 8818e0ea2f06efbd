# DROP and TRUNCATE destroy data: a human approves each one.
package agentgate

approval contains msg if {
	is_parsed
	is_destructive
	msg := sprintf("destructive: %s of %v needs approval by %v", [
		upper(statement_type), sort([qualified(table) | some table in statement_tables]), cfg.approval.approvers,
	])
}
