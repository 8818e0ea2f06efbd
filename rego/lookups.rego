# Where the configuration comes from, and lookup tables derived from it once.
# opa-bundle/build.sh puts data.json's configuration and these lookup tables
# into the bundle a second time, as Rego constants (module built.rego, package
# agentgate.built): OPA reads a constant as a ready value, while every read of
# a data document converts it again on every decision (a quarter of the
# policy's work). The bundle owns the agentgate root, so both copies only ever
# change together, by a new bundle. Loaded without the bundle (rego/ and
# data.json given to OPA directly) both are worked out from data.json per
# decision: the same decisions, more slowly.
package agentgate

cfg := data.agentgate.built.config if data.agentgate.built.config

else := data.agentgate.config

lookups := data.agentgate.built.lookups if data.agentgate.built.lookups

else := derived_lookups

derived_lookups := {
	"bindings_by_issuer": bindings_by_issuer,
	"role_flags": {role: flags_of(definition) | some role, definition in cfg.roles},
	"grants": {role: [lowered_grant(grant) | some grant in definition.grants] | some role, definition in cfg.roles},
	"pii_patterns": split_pii_patterns,
	"pii_any": pii_any_glob,
	"pii_column_any": pii_column_glob,
}

# The role bindings of each issuer: an identity's roles come from a walk over
# its issuer's bindings only.
bindings_by_issuer[issuer] := [binding | some binding in cfg.role_bindings; binding.issuer == issuer] if {
	some candidate in cfg.role_bindings
	issuer := candidate.issuer
}

# A grant with its target, schema and table patterns lower-cased (name_matches
# lower-cases both sides; a pattern that is no string stays as it is and
# matches nothing).
lowered_grant(grant) := object.union(grant, {field: lower(grant[field]) | some field in ["target", "schema", "table"]; is_string(grant[field])})

flags_of(definition) := {flag | some flag in ["agent", "admin", "unmasked"]; definition[flag] == true}

# The PII patterns split and lower-cased for the glob matches (a pattern that
# is not schema.table.column matches nothing).
split_pii_patterns contains {"pattern": pattern, "schema": lower(schema), "table": lower(name), "column": lower(column)} if {
	some pattern, _ in cfg.pii_columns
	[schema, name, column] := split(pattern, ".")
}

# All PII patterns as one glob of alternatives ({p1,p2,...}), lower-cased: a
# column that it does not match is matched by none of them, found by one glob
# match (OPA compiles a glob once and keeps it) instead of a walk over all the
# patterns. Only for patterns made of names, "*" and "?": brackets, braces,
# commas or escapes in a pattern would change the alternatives, and then (null)
# every column goes through the walk.
pii_any_glob := sprintf("{%s}", [lower(concat(",", object.keys(cfg.pii_columns)))]) if {
	not regex.match(`[\[\]{},\\]`, concat("", object.keys(cfg.pii_columns)))
} else := null

# The same for the column parts alone ({email,ssn,...}): a column name it does
# not match is a column no pattern covers, whatever its table.
pii_column_glob := sprintf("{%s}", [concat(",", sort({p.column | some p in split_pii_patterns}))]) if {
	is_string(pii_any_glob)
} else := null
