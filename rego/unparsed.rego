# SQL the gateway could not analyse: denied for agents; for other identities
# with a role a human approves it (nothing can be checked automatically).
package agentgate

deny contains msg if {
	is_unparsed
	is_agent
	msg := sprintf("unparsed: agents may not run SQL the gateway cannot analyse (%v)", [parse_error])
}

approval contains msg if {
	is_unparsed
	not is_agent
	count(identity_roles) > 0
	msg := sprintf("unparsed: SQL the gateway cannot analyse needs approval by %s (%v)", [concat(", ", cfg.approval.approvers), parse_error])
}

parse_error := object.get(input.statement, "parse_error", "no parse error given")
