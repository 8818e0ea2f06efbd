# PII: agents without an unmasked role get the columns listed in pii_columns
# masked ("schema.table.column" globs -> strategy) for every table they read.
# Masks are given per table read, not per column named, so SELECT *, aliases
# and unattributed columns are covered the same way. (A view over the table
# has its own name: list its columns too.)
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

# Filtering, joining, grouping or ordering by a masked column reveals its
# values (WHERE ssn LIKE '123%'), so agents may only select masked columns.
deny contains msg if {
	is_agent
	not is_unmasked
	some column in input.statement.columns
	some use in column.uses
	use in revealing_uses
	some pattern, _ in cfg.pii_columns
	column_covered(pattern, column)
	msg := sprintf("pii: agents may not use masked column %v (%v) in %v (it would reveal its values)", [
		column.name, pattern, upper(use),
	])
}

revealing_uses := {"filter", "join", "group", "order"}

# Masks apply to the rows sent to the agent; a statement that reads a masked
# table into a table (INSERT ... SELECT, CREATE TABLE ... AS SELECT) or into
# variables (SELECT ... INTO @v) would carry the values past the masking.
deny contains msg if {
	count(masks) > 0
	some target in pii_copy_targets
	msg := sprintf("pii: agents may not copy from tables with masked columns into %s", [target])
}

pii_copy_targets contains qualified(table) if {
	some table in statement_tables
	table.access != "read"
}

pii_copy_targets contains "user variables" if "into_variables" in statement_features

# A column the analysis could not attribute to a table (table null) is covered
# when its name matches and any table of the statement matches the pattern.
column_covered(pattern, column) if {
	[_, _, name] := split(pattern, ".")
	name_matches(name, column.name)
	some table in candidate_tables(column)
	pattern_covers_table(pattern, table)
}

candidate_tables(column) := {{"schema": column.schema, "name": column.table}} if is_string(column.table)

candidate_tables(column) := statement_tables if not is_string(column.table)
