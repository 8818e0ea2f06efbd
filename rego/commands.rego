# Protocol commands: SQL commands need statement facts; other commands are
# allowed when listed as harmless, or handled by a rule (init_db, field_list).
package agentgate

deny contains msg if {
	is_sql_command
	not has_statement_facts
	msg := sprintf("contract: command %v arrived without statement facts", [command_type])
}

# A type that is missing or not a string is refused as one not in lower case is
# (a helper rule: lower() written inside the negation would be evaluated outside
# it, and a type lower() cannot take would then leave the rule undefined).
deny contains msg if {
	is_object(input.statement)
	not lower_case_statement_type
	msg := sprintf("contract: statement type %v is not a string in lower case", [object.get(input.statement, "type", "missing")])
}

lower_case_statement_type if {
	is_string(input.statement.type)
	input.statement.type == lower(input.statement.type)
}

deny contains msg if {
	not input.version == 1
	msg := sprintf("contract: input version %v is not supported (this policy reads version 1)", [object.get(input, "version", "missing")])
}

# Three membership tests (done by OPA itself) instead of a set of all the
# types built per decision.
command_allowed if {
	is_parsed
	statement_type in cfg.read_only_statement_types
}

command_allowed if {
	is_parsed
	statement_type in cfg.dml_statement_types
}

command_allowed if {
	is_parsed
	statement_type in cfg.admin_statement_types
}

# init_db and field_list are decided by their schema or table grant (access.rego).
command_allowed if {
	input.command.type == "init_db"
	is_string(input.command.schema)
}

command_allowed if {
	input.command.type == "field_list"
	is_string(input.command.table)
}

command_allowed if input.command.type in cfg.commands.harmless

command_allowed if {
	is_parsed
	is_ddl
}

has_statement_facts if is_object(input.statement)
