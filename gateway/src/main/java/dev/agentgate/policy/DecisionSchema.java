package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The published decision contract, {@code docs/schemas/policy-decision.v1.json}, packaged into the jar from that
 * one file: whatever it rejects, the gateway rejects, so the schema users read is the one that is enforced.
 * Thread-safe.
 */
final class DecisionSchema {

    private static final String RESOURCE = "policy-decision.v1.json";

    /**
     * A policy gives the same few answers over and over (they differ in reasons, rarely per statement), and
     * validating one takes far longer than looking its text up: decisions checked before are remembered by their
     * compact JSON text, the same text always having the same outcome. Bounded by the characters kept.
     */
    private static final long MAX_CHARS_REMEMBERED = 2L * 1024 * 1024;

    /** Longer answers are validated every time rather than push many short ones out. */
    private static final int MAX_REMEMBERED_CHARS = 16 * 1024;

    private final Schema schema;
    private final Cache<String, Optional<String>> checked = Caffeine.newBuilder()
            .maximumWeight(MAX_CHARS_REMEMBERED)
            .weigher((String text, Optional<String> violation) -> text.length())
            .executor(Runnable::run)
            .build();

    DecisionSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        try (InputStream in = DecisionSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the gateway's classpath (a broken build)");
            }
            this.schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The first violation, as "location: message"; empty when {@code decision} is valid. */
    Optional<String> firstViolation(JsonNode decision) {
        String text = decision.toString();
        if (text.length() > MAX_REMEMBERED_CHARS) {
            return validate(decision);
        }
        return checked.get(text, ignored -> validate(decision));
    }

    private Optional<String> validate(JsonNode decision) {
        List<Error> errors = schema.validate(decision);
        return errors.stream().findFirst().map(Error::toString);
    }
}
