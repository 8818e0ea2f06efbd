# The session decision at login (command type "connect", no statement): who
# may open a session on a target at all, and for how long. Roles may set
# "session" limits in data.json (max_session_s, idle_timeout_s); an identity
# with several roles gets the smallest of each. The gateway ends the session
# at the earlier of the token's expiry and max_session_s.
package agentgate

is_connect if input.command.type == "connect"

session_limit_names := ["max_session_s", "idle_timeout_s"]

session_limits := {name: min(values) |
	some name in session_limit_names
	values := {value | some role in identity_roles; value := cfg.roles[role].session[name]}
	count(values) > 0
}

target_granted if {
	some role in identity_roles
	some grant in cfg.roles[role].grants
	name_matches(grant.target, input.session.target)
}

deny contains msg if {
	is_connect
	count(identity_roles) > 0
	not target_granted
	msg := sprintf("session: roles %s of %s have no grant on target %v", [role_names, who, input.session.target])
}

session_decision := object.union(
	{
		"action": "allow",
		"reason": sprintf("session: %s may open a session on target %v (roles %s)%s", [who, input.session.target, role_names, session_length]),
		"rules": ["session"],
	},
	session_obligations,
)

session_obligations := {"obligations": session_limits} if count(session_limits) > 0

else := {}

session_length := sprintf(" for at most %d s", [session_limits.max_session_s]) if session_limits.max_session_s

else := ""
