package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
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

    private final Schema schema;

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
        List<Error> errors = schema.validate(decision);
        return errors.stream().findFirst().map(Error::toString);
    }
}
