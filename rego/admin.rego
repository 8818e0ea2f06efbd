# Account, privilege and server administration statements need an admin role.
package agentgate

deny contains msg if {
	is_admin_statement
	not is_admin
	msg := sprintf("admin: %s statements need an admin role; %s has none", [statement_label, who])
}

is_admin_statement if {
	is_parsed
	statement_type in cfg.admin_statement_types
}
