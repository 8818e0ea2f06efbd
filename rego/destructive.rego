# DROP and TRUNCATE destroy data: a human approves each one.
package agentgate

# DROP and TRUNCATE of any object (drop_table, drop_database, truncate_table,
# ...), tested on the input's type so OPA's rule index skips the rule for other
# statements; DDL only (account statements such as drop_user are admin).
approval contains msg if {
	strings.any_prefix_match(input.statement.type, ["drop", "truncate"])
	is_parsed
	is_ddl
	msg := sprintf("destructive: %s of %s needs approval by %s", [
		statement_label, statement_table_names, concat(", ", cfg.approval.approvers),
	])
}
