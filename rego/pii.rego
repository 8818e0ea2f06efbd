# PII: agents without an unmasked role get the columns listed in pii_columns
# masked ("schema.table.column" globs -> strategy). Every statement of theirs
# that returns rows gets all the masks, whatever tables it names: a view, a
# stored function or a derived table may read a PII column under another name,
# and only the gateway's lineage (second ask) sees through them. Other
# statements get the masks of the tables they read or write: a table written
# is as much a masked table as one read (UPDATE t SET name = ssn, DELETE ...
# RETURNING ssn), so writes are asked about again with their lineage too.
#
# Two asks: when the first decision is mask, the gateway computes the
# statement's column lineage and asks again with input.statement.lineage; that
# second answer is final (deny refuses; the masks of both answers apply).
package agentgate

# Subject to masking: an agent without an unmasked role, when PII columns are
# configured at all. DBAs (unmasked) and services that are not agents are not.
masked_agent if {
	is_agent
	not is_unmasked
	count(cfg.pii_columns) > 0
}

# A row-returning statement gets all the masks (table_masks are some of them).
masks := cfg.pii_columns if {
	masked_agent
	statement_type in row_returning_types
} else := table_masks

# Statements whose result sets carry row data (HANDLER's lineage is unknown:
# the gateway masks all of its columns).
row_returning_types := {"select", "table", "values", "handler"}

table_masks[pattern] := cfg.pii_columns[pattern] if {
	some table in masked_statement_tables
	some pattern in patterns_covering(table)
}

# The masks of the tables a statement reads: what a copy would carry away.
read_table_masks contains pattern if {
	some table in masked_statement_tables
	table.access == "read"
	some pattern in patterns_covering(table)
}

# The PII patterns split and lower-cased (lookups.rego).
pii_patterns := lookups.pii_patterns if masked_agent

# The statement's tables with lower-cased names, for agents under masking only.
masked_statement_tables contains {"schema": lower(table.schema), "name": lower(table.name), "access": table.access} if {
	masked_agent
	some table in statement_tables
	is_string(table.schema)
	is_string(table.name)
}

# The patterns covering a lower-cased table: the table part is tested first,
# the schema part is usually "*".
patterns_covering(table) := {p.pattern |
	some p in pii_patterns
	glob.match(p.table, [], table.name)
	glob.match(p.schema, [], table.schema)
}

# Filtering, joining, grouping or ordering by a masked column reveals its
# values (WHERE ssn LIKE '123%'), so agents may only select masked columns.
deny contains msg if {
	masked_agent
	some column in input.statement.columns
	some use in column.uses
	use in revealing_uses
	column_masked(column)
	msg := sprintf("pii: agents may not use masked column %s in %v", [column_label(column), use])
}

column_label(column) := sprintf("%v.%v.%v", [column.schema, column.table, column.name]) if is_string(column.table)

else := column.name

revealing_uses := {"filter", "join", "group", "order"}

# Masks apply to the rows sent to the agent; a statement that reads a masked
# table into a table (INSERT ... SELECT, CREATE TABLE ... AS SELECT) or into
# variables (SELECT ... INTO @v) would carry the values past the masking.
deny contains msg if {
	some target in pii_copy_targets
	count(read_table_masks) > 0
	msg := sprintf("pii: agents may not copy from tables with masked columns into %s", [target])
}

pii_copy_targets contains qualified(table) if {
	some table in statement_tables
	table.access != "read"
}

pii_copy_targets contains "user variables" if "into_variables" in statement_features

# Dynamic SQL and stored programs are ways around masking whatever tables they
# name (CALL names none): the text or body runs out of the column analysis'
# sight. Refused in the first ask already; the types and why are in
# masking_bypass_statement_types. Statements readonly.rego refuses anyway get
# only its reason.
deny contains msg if {
	masked_agent
	why := cfg.masking_bypass_statement_types[statement_type]
	not read_only_refuses
	msg := sprintf("pii: agents under masking may not run %s statements (%s)", [statement_label, why])
}

# The gateway's sessions share one service account, so the statements that
# show other sessions' SQL (a DBA's query with a customer's SSN typed into it)
# are refused to agents under masking: masking_bypass_show_statements, matched
# on the digest (comments and spacing normalised).
deny contains msg if {
	input.statement.type == "show"
	masked_agent
	some prefix, why in cfg.masking_bypass_show_statements
	startswith(upper(input.statement.digest), prefix)
	msg := sprintf("pii: agents under masking may not run %s (%s)", [prefix, why])
}

# How many warnings a statement left tells whether it warned, and a statement
# over a masked value may warn depending on the value (a result larger than
# max_allowed_packet becomes NULL with a warning). The gateway shows agents a
# warning count of 0 in every response under masking; the reads of the
# diagnostics area (SHOW WARNINGS / ERRORS / COUNT(*), GET DIAGNOSTICS,
# @@warning_count, @@error_count) are refused, their rows would count them.
deny contains msg if {
	masked_agent
	"diagnostics_reads" in statement_features
	msg := "pii: agents under masking may not read warnings or their count (whether a statement warned can tell a masked value)"
}

# Second ask: masked_uses lists every use of a masked column other than
# carrying it into a result column through total functions (filter, group,
# order, join, copy, dynamic_sql, definition, error_channel, computation,
# write, returning); each reveals or carries its values, so any use refuses
# the statement. The reason names the first use (the refusal stays short) and
# how many more there are. An incomplete lineage (complete false) is not by
# itself a deny: the gateway masks every column whose origin it does not know
# (or the whole result set), so the masks still hold.
deny contains msg if {
	uses := input.statement.lineage.masked_uses
	masked_agent
	count(uses) > 0
	use := uses[0]
	msg := sprintf("pii: agents may not use %s in %v%s%s", [
		masked_use_subject(use), use.use, masked_use_detail(use), more_uses(count(uses) - 1),
	])
}

more_uses(0) := ""

more_uses(n) := sprintf(" and %d more", [n]) if n > 0

# column is null for dynamic SQL and for copies of a value of unknown origin.
masked_use_subject(use) := sprintf("masked column %s", [use.column]) if is_string(use.column)

else := "a value of unknown origin"

masked_use_detail(use) := sprintf(" (%s)", [use.detail]) if is_string(use.detail)

else := ""

# A column the analysis could not attribute to a table (table null) is covered
# when its name matches and any table of the statement matches the pattern.
column_masked(column) if {
	is_string(column.name)
	name := lower(column.name)
	not pii_column_misses(name)
	some table in candidate_tables(column)
	not pii_any_misses(table, name)
	some p in pii_patterns
	glob.match(p.column, [], name)
	p.pattern in patterns_covering(table)
}

# All PII patterns as one glob of alternatives (lookups.rego), when they allow it.
pii_any := lookups.pii_any if is_string(lookups.pii_any)

# The column part alone first (WHERE id = ? names no PII column in most
# statements): one glob of all the patterns' column parts (lookups.rego).
pii_column_misses(name) if {
	any := lookups.pii_column_any
	is_string(any)
	not glob.match(any, [], name)
}

pii_any_misses(table, name) if {
	any := pii_any
	not glob.match(any, [], concat(".", [table.schema, table.name, name]))
}

candidate_tables(column) := {{"schema": lower(column.schema), "name": lower(column.table)}} if {
	is_string(column.schema)
	is_string(column.table)
}

candidate_tables(column) := masked_statement_tables if not is_string(column.table)
