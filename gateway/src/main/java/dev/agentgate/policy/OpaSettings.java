package dev.agentgate.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach OPA and how much to trust it to be there.
 *
 * @param url OPA's base URL, e.g. {@code http://127.0.0.1:8181}
 * @param decisionPath the rule's path under {@code /v1/data}, e.g. {@code agentgate/decision}
 * @param timeout time limit per decision; past it the statement is denied
 * @param maxConcurrent decisions in flight at once across the gateway; more are denied as overloaded
 * @param circuitOpenFor how long OPA is not asked after repeated failures
 */
public record OpaSettings(URI url, String decisionPath, Duration timeout, int maxConcurrent, Duration circuitOpenFor) {

    public static final String DEFAULT_DECISION_PATH = "agentgate/decision";

    public OpaSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(decisionPath, "decisionPath");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
    }

    public static OpaSettings defaults(URI url) {
        return new OpaSettings(url, DEFAULT_DECISION_PATH, Duration.ofMillis(250), 256, Duration.ofSeconds(2));
    }

    URI decisionUri() {
        String base = url.toString().endsWith("/") ? url.toString() : url + "/";
        return URI.create(base + "v1/data/" + decisionPath);
    }
}
