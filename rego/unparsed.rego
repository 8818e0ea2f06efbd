# SQL the gateway could not analyse: denied for agents; for other identities
# with a role a human approves it (nothing can be checked automatically).
package agentgate

deny contains msg if {
	is_unparsed
	is_agent
	msg := sprintf("unparsed: agents may not run SQL the gateway cannot analyse (%v)", [parse_problem])
}

# What the agent can act on: for a token the parser stopped at, the construct
# it starts when it is one the gateway knows it cannot analyse, else the
# token ("INTO" is not supported there), instead of the parser's own words.
parse_problem := sprintf("%s is not supported", [unsupported_constructs[upper(parse_token)]]) if {
	unsupported_constructs[upper(parse_token)]
} else := sprintf("\"%s\" is not supported there", [parse_token]) if {
	parse_token
} else := parse_error

parse_token := regex.find_all_string_submatch_n(`Encountered unexpected token: "([^"]*)"`, parse_error, 1)[0][1]

unsupported_constructs := {
	"INTO": "SELECT ... INTO @var (or INTO OUTFILE) in this position",
	"GET": "GET DIAGNOSTICS",
	"DO": "DO",
	"HANDLER": "HANDLER",
}

approval contains msg if {
	is_unparsed
	not is_agent
	count(identity_roles) > 0
	msg := sprintf("unparsed: SQL the gateway cannot analyse needs approval by %s (%v)", [concat(", ", cfg.approval.approvers), parse_error])
}

parse_error := object.get(input.statement, "parse_error", "no parse error given")
