# Facts about the statement being decided, shared by all rules.
# The input contract is docs/policy.md (input.version 1).
package agentgate

# Commands that carry SQL and therefore statement facts.
is_sql_command if input.command.type in cfg.commands.sql

# Lower case by the contract (commands.rego refuses any other spelling), so
# rules compare input.statement.type with constants directly: OPA's rule index
# then skips the rules about other types without evaluating them.
statement_type := input.statement.type

is_parsed if {
	is_sql_command
	input.statement.parsed == true
}

is_unparsed if {
	is_sql_command
	not is_parsed
}

# DDL: any create/alter/drop/truncate/rename of a schema object, or a table
# the analysis marks as "ddl". Account statements (create_user...) are admin.
# The prefixes written out on the input's type: OPA's rule index then skips the
# rule for other statements without evaluating it.
is_ddl if {
	ddl_shaped
	not statement_type in cfg.admin_statement_types
}

ddl_shaped if strings.any_prefix_match(input.statement.type, ["create", "alter", "drop", "truncate", "rename"])

ddl_shaped if {
	some table in statement_tables
	table.access == "ddl"
}

# where_clause is a boolean in the facts (true when UPDATE/DELETE has a WHERE).
has_where if input.statement.where_clause == true

# The input's own array (no set of objects built and hashed per decision); a
# table named twice gives the same reasons twice, and reasons are a set.
statement_tables := input.statement.tables if is_sql_command

else := []

# Schemas of database-level statements (USE, CREATE/DROP DATABASE) and COM_INIT_DB.
accessed_databases contains database if {
	is_sql_command
	some database in input.statement.databases
}

accessed_databases contains input.command.schema if input.command.type == "init_db"

# Tables a command touches: the statement's tables, or the table of COM_FIELD_LIST.
accessed_tables := [{
	"schema": object.get(input.command, "schema", input.session.database),
	"name": input.command.table,
	"access": "read",
}] if {
	input.command.type == "field_list"
} else := statement_tables

# Dangerous features, named by the analysis (features), by a function call or by
# the statement type (load_data).
statement_features contains lower(feature) if {
	is_sql_command
	some feature in input.statement.features
}

statement_features contains lower(function) if {
	is_sql_command
	some function in input.statement.functions
	cfg.dangerous_features[lower(function)]
}

statement_features contains statement_type if cfg.dangerous_features[statement_type]

qualified(table) := sprintf("%v.%v", [table.schema, table.name])

# Reasons never go missing for want of a field: a missing one prints as "?".
who := sprintf("%v (issuer %v)", [
	object.get(input, ["identity", "subject"], "?"),
	object.get(input, ["identity", "issuer"], "?"),
])

command_type := object.get(input, ["command", "type"], "?")

# Glob match of a grant pattern against a name, case-insensitively (MySQL
# names are case-insensitive on many servers; a case change must not escape a
# rule). The pattern comes lower-cased already (the grants in lookups.rego).
# "*" matches any run of characters.
name_matches(pattern, name) if {
	is_string(name)
	glob.match(pattern, [], lower(name))
}

# Human readable names for reasons: drop_table -> DROP TABLE.
label(name) := upper(replace(name, "_", " "))

statement_label := label(statement_type)

statement_table_names := concat(", ", sort({qualified(table) | some table in statement_tables}))
