package dev.agentgate.e2e.policy;

import dev.agentgate.e2e.env.OidcIssuer;
import java.util.List;

/**
 * Tokens whose claims select the role bindings of the shipped rego/data.json (issuers replaced by the e2e
 * issuer, see {@code ShippedPolicy}).
 */
public final class Identities {

    private final OidcIssuer issuer;

    public Identities(OidcIssuer issuer) {
        this.issuer = issuer;
    }

    /** Role agent_readonly: the IdP's group ai-agents. */
    public String agent() {
        return issuer.token("agent-7")
                .claim("groups", List.of("staff", "ai-agents"))
                .mint();
    }

    /** Role orders_writer: the order service, bound by subject. */
    public String ordersService() {
        return issuer.token("svc-orders").mint();
    }

    /** Role dba: the IdP's group dba. */
    public String dba() {
        return issuer.token("dba-1").claim("groups", List.of("dba")).mint();
    }

    /** GitHub Actions OIDC claims of acme/shop's migrate workflow, run on {@code ref}; role migrator only on main. */
    public String ciMigration(String ref) {
        return issuer.token("repo:acme/shop:ref:" + ref)
                .claim("repository", "acme/shop")
                .claim("ref", ref)
                .claim("workflow", "migrate")
                .claim("job_workflow_ref", "acme/shop/.github/workflows/migrate.yml@" + ref)
                .mint();
    }

    /** A valid token that no role binding matches. */
    public String stranger() {
        return issuer.token("stranger").mint();
    }
}
