# Who is asking: role bindings in data.json map an identity (issuer, optional
# subject, claims) to roles; roles carry grants and flags (agent, read_only,
# unmasked, admin).
package agentgate

# identity_matches written out (bindings_by_issuer has matched the issuer): a
# function call per binding costs more than the match itself.
identity_roles contains role if {
	some binding in lookups.bindings_by_issuer[input.identity.issuer]
	object.get(binding, "subject", input.identity.subject) == input.identity.subject
	every name, want in object.get(binding, "claims", {}) {
		claim_matches(input.identity.claims[name], want)
	}
	some role in binding.roles
}

# An identity matcher: issuer equal, subject equal when given, every listed
# claim matching (a glob against a string claim, or against any element of an
# array claim such as "groups").
identity_matches(matcher) if {
	matcher.issuer == input.identity.issuer
	object.get(matcher, "subject", input.identity.subject) == input.identity.subject
	every name, want in object.get(matcher, "claims", {}) {
		claim_matches(input.identity.claims[name], want)
	}
}

claim_matches(have, want) if {
	is_string(have)
	glob.match(want, [], have)
}

claim_matches(have, want) if {
	is_array(have)
	some element in have
	is_string(element)
	glob.match(want, [], element)
}

claim_matches(have, want) if {
	not is_string(have)
	not is_array(have)
	sprintf("%v", [have]) == want
}

# The flags of the identity's roles, worked out once per decision: the rules
# ask about them many times.
role_flags contains flag if {
	some role in identity_roles
	some flag in lookups.role_flags[role]
}

is_agent if "agent" in role_flags

is_admin if "admin" in role_flags

is_unmasked if "unmasked" in role_flags

# Read-only when every role of the identity is read-only.
is_read_only if {
	count(identity_roles) > 0
	every role in identity_roles {
		cfg.roles[role].read_only == true
	}
}

# The grants of the identity's roles on the session's target, worked out once
# per decision (the target is the same for every table and schema asked about);
# name_matches written out, the target lowered once (grants are lowered already;
# a target that is not a string leaves no grants).
target_grants := [grant |
	target := lower(input.session.target)
	some role in identity_roles
	some grant in lookups.grants[role]
	glob.match(grant.target, [], target)
]

# The cheapest and most selective tests first: access, table, schema.
granted(table, access) if {
	some grant in target_grants
	access in grant.access
	name_matches(grant.table, table.name)
	name_matches(grant.schema, table.schema)
}

deny contains msg if {
	count(identity_roles) == 0
	msg := sprintf("roles: no role binding in data.json matches %s", [who])
}

role_names := concat(", ", sort(identity_roles))
