# The decision the gateway asks for: data.agentgate.decision.
# Every concern adds reasons to one of three sets:
#   deny      - reasons the statement must not run
#   approval  - reasons a human must approve it first
#   masks     - column pattern -> masking strategy for an allowed read
# and command_allowed says a rule positively allows the command.
# Precedence: deny > require_approval > mask > allow > default deny.
# The session decision at login (command type connect) is session.rego's.
package agentgate

decision := deny_decision if {
	count(deny) > 0
} else := session_decision if {
	is_connect
	count(identity_roles) > 0
} else := approval_decision if {
	count(approval) > 0
} else := mask_decision if {
	allowed
	count(masks) > 0
} else := allow_decision if {
	allowed
} else := default_deny_decision

allowed if {
	count(identity_roles) > 0
	command_allowed
}

# Every decision object carries "version": 1 in its literal (one object built
# per decision, no union for it). A set's members iterate in sorted order, so
# concat over a set needs no sort.
deny_decision := object.union(cache_fields, {
	"version": 1,
	"action": "deny",
	"reason": concat("; ", deny),
	"rules": rule_names(deny),
})

approval_decision := {
	"version": 1,
	"action": "require_approval",
	"reason": concat("; ", approval),
	"rules": rule_names(approval),
	"approval": cfg.approval,
}

# ask_with_lineage: the only rule that reads the lineage is pii.rego's deny of
# masked uses, so for a lineage without them the answer with lineage would be
# this one, and the gateway need not ask again (one round trip instead of two).
# A rule added that reads more of input.statement.lineage must drop the field.
mask_decision := object.union(allow_fields, {
	"version": 1,
	"action": "mask",
	"reason": sprintf("pii: columns %s are masked for agent %s", [concat(", ", object.keys(masks)), who]),
	"rules": ["pii"],
	"masks": masks,
	"ask_with_lineage": "if_masked_uses",
})

allow_decision := object.union(allow_fields, {
	"version": 1,
	"action": "allow",
	"reason": sprintf("allow: %s may run %s on target %v", [who, allowed_what, input.session.target]),
	"rules": ["allow"],
})

default_deny_decision := {
	"version": 1,
	"action": "deny",
	"reason": sprintf("default_deny: no rule allows %s for %s", [allowed_what, who]),
	"rules": ["default_deny"],
}

allowed_what := statement_label if is_sql_command

else := sprintf("command %v", [command_type])

rule_names(reasons) := sort({name | some reason in reasons; name := split(reason, ":")[0]})

allow_fields := object.union(cache_fields, {"obligations": cfg.agent_obligations}) if is_agent

else := cache_fields

# The shipped rules read only the statement's facts (type, tables, features)
# and its lineage, never its literals, so a decision holds for every statement
# with the same digest. The answer with lineage (second ask under masking) too:
# a literal's type decides some masked uses (ssn = 5 converts ssn to a number:
# error_channel; ssn = '5' does not), but the gateway keys that answer by the
# digest and a fingerprint of the lineage, so it is not reused for another one.
# Unparsed statements and approvals are never cached.
cache_fields := {"cache_ttl_s": cfg.cache_ttl_s, "cache_key": "digest"} if is_parsed

else := {}
