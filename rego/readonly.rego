# Read-only identities (every role has "read_only": true) may only run the
# statement types listed in read_only_statement_types.
package agentgate

deny contains msg if {
	read_only_refuses
	msg := sprintf("readonly: %s is read-only; %s statements are not allowed", [who, statement_label])
}

# The statement type first: most statements are of a read-only type.
read_only_refuses if {
	is_parsed
	not statement_type in cfg.read_only_statement_types
	is_read_only
}
