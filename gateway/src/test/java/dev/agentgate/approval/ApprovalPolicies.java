package dev.agentgate.approval;

/** The test policy: which statements need approval, and how, by the table they delete from. */
final class ApprovalPolicies {

    private ApprovalPolicies() {}

    static final String SETUP = "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, note TEXT);"
            + " CREATE TABLE shop.audit (id INT PRIMARY KEY); CREATE TABLE shop.scratch (id INT PRIMARY KEY);"
            + " CREATE TABLE shop.pairs (id INT PRIMARY KEY);";

    static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            deleted := {t.name | some t in input.statement.tables; t.access == "write"}

            decision := approval({"approvers": ["dba", "user:bob"], "mode": "hold", "timeout_s": 30}) if {
            	input.statement.type == "delete"
            	deleted == {"orders"}
            }

            decision := approval({"approvers": ["dba"], "mode": "hold", "timeout_s": 1}) if {
            	input.statement.type == "delete"
            	deleted == {"scratch"}
            }

            decision := approval({"approvers": ["dba"], "mode": "hold", "min_approvals": 2, "timeout_s": 30}) if {
            	input.statement.type == "delete"
            	deleted == {"pairs"}
            }

            decision := approval({"approvers": ["dba"], "mode": "ticket", "timeout_s": 60, "grant_uses": 1}) if {
            	input.statement.type == "delete"
            	deleted == {"audit"}
            }

            decision := approval({"approvers": ["dba"], "mode": "ticket", "timeout_s": 60, "grant_window_s": 1}) if {
            	input.statement.type == "delete"
            	deleted == {"brief"}
            }

            decision := approval({"approvers": ["dba"], "mode": "ticket", "timeout_s": 60, "grant_uses": 2}) if {
            	input.statement.type == "update"
            	deleted == {"twice"}
            }

            decision := object.union(
            	approval({"approvers": ["dba"], "mode": "ticket", "timeout_s": 60}),
            	{"masks": {"shop.customers.email": {"strategy": "redact"}}},
            ) if {
            	input.statement.type == "delete"
            	deleted == {"customers"}
            }

            approval(fields) := {
            	"action": "require_approval",
            	"reason": "test: deletes need approval",
            	"approval": object.union({"channel": "test:#approvals"}, fields),
            }
            """;
}
