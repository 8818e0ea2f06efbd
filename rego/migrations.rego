# Schema migrations: DDL only from the CI identities listed in ci_identities
# (GitHub Actions OIDC: issuer, repository, ref refs/heads/main, workflow).
package agentgate

is_ci_migration if {
	some matcher in cfg.ci_identities
	identity_matches(matcher)
}

deny contains msg if {
	is_ddl
	not is_ci_migration
	msg := sprintf("migrations: schema changes (%s) run only from CI migrations on the main branch; %s is not one", [
		statement_label, who,
	])
}
