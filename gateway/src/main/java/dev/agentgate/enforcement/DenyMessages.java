package dev.agentgate.enforcement;

import dev.agentgate.policy.Decision;

/** The text a client sees when the gateway refuses a statement. */
final class DenyMessages {

  private DenyMessages() {}

  /**
   * @param which names the statement within a batch ("statement 2 of 3: "), or empty
   */
  static String of(Decision decision, String which) {
    String id = decision.decisionId().map(d -> " [decision " + d + "]").orElse("");
    if (decision instanceof Decision.Deny) {
      return "Access denied by agentgate policy: " + which + decision.reason() + id;
    }
    // Until masking and approvals are enforced on the data path, such decisions must not be
    // mistaken for an allow: the statement is refused and the client is told why.
    String action = decision instanceof Decision.Mask ? "mask" : "require_approval";
    return "Access denied by agentgate: " + which + "the policy decided '" + action
        + "', which this gateway version cannot enforce yet (" + decision.reason() + ")" + id;
  }
}
