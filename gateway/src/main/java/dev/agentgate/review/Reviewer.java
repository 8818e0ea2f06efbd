package dev.agentgate.review;

import java.util.Locale;
import java.util.Objects;

/**
 * Who reviews a recording: an auditor's verified identity, or the holder of the admin key.
 *
 * @param via how the recording was watched
 */
public record Reviewer(String issuer, String subject, Via via) {

    /** The issuer recorded for reviews authenticated by {@code review.admin_key} rather than a token. */
    public static final String ADMIN_KEY = "admin-key";

    /** How a recording was watched. */
    public enum Via {
        API,
        PAGE,
        CLI;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Reviewer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(via, "via");
    }

    /** The holder of the admin key. */
    public static Reviewer adminKey(Via via) {
        return new Reviewer(ADMIN_KEY, "admin", via);
    }

    /** Someone running the CLI on the gateway's host, as the operating system names them. */
    public static Reviewer localUser(String user) {
        return new Reviewer("os-user", user, Via.CLI);
    }

    public Reviewer via(Via other) {
        return new Reviewer(issuer, subject, other);
    }

    /** {@code issuer|subject}, as approvers are named. */
    public String name() {
        return issuer + "|" + subject;
    }
}
