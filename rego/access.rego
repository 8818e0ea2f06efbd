# Table grants: every table a statement reads, writes or alters needs a grant
# for that access on the session's target, schema and table. Admin statements
# (GRANT ... ON shop.*) are decided by admin.rego instead.
package agentgate

deny contains msg if {
	count(identity_roles) > 0
	not is_admin_statement
	some table in accessed_tables
	not granted(table, table.access)
	msg := sprintf("table_access: roles %s of %s have no %s grant on %s (target %v)", [
		role_names, who, table.access, qualified(table), input.session.target,
	])
}

# USE, COM_INIT_DB, CREATE/DROP DATABASE: the schema must appear in some grant.
deny contains msg if {
	count(identity_roles) > 0
	some database in accessed_databases
	not schema_granted(database)
	msg := sprintf("table_access: roles %s of %s have no grant on schema %v (target %v)", [
		role_names, who, database, input.session.target,
	])
}

schema_granted(schema) if {
	some grant in target_grants
	name_matches(grant.schema, schema)
}
