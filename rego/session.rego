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

target_granted if count(target_grants) > 0

deny contains msg if {
	input.command.type == "connect"
	count(identity_roles) > 0
	not target_granted
	msg := sprintf("session: roles %s of %s have no grant on target %v", [role_names, who, input.session.target])
}

session_decision := object.union(
	{
		"version": 1,
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

# Just-in-time access by approval (not shipped active): to let a role open
# sessions on production targets only once a person approved, answer the
# connect question with require_approval in ticket mode (hold is refused at
# login). The login is refused with a ticket; once approved, the identity may
# connect within grant_window_s, and each such session ends when the grant
# does. For example, in decision.rego before the session_decision branch:
#
#   } else := {
#   	"version": 1,
#   	"action": "require_approval",
#   	"reason": sprintf("session: %s needs approval for a session on %v", [who, input.session.target]),
#   	"rules": ["session"],
#   	"approval": {"approvers": ["group:dba-oncall"], "mode": "ticket", "timeout_s": 900, "grant_window_s": 3600},
#   } if {
#   	is_connect
#   	"agent_readonly" in identity_roles
#   	glob.match("prod-*", [], input.session.target)
#   }
