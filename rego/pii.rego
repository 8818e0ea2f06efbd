# PII: agents without an unmasked role get the columns listed in pii_columns
# masked ("schema.table.column" globs -> strategy) for every table they read.
# Masks are given per table read, not per column named, so SELECT *, aliases
# and views over the table name are covered the same way.
package agentgate

masks[pattern] := spec if {
	is_agent
	not is_unmasked
	some pattern, spec in cfg.pii_columns
	some table in statement_tables
	table.access == "read"
	pattern_covers_table(pattern, table)
}

pattern_covers_table(pattern, table) if {
	[schema, name, _] := split(pattern, ".")
	name_matches(schema, table.schema)
	name_matches(name, table.name)
}
