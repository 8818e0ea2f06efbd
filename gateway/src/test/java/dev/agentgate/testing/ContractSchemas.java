package dev.agentgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The JSON Schemas of the policy contract (docs/schemas), as validators that list what is wrong. */
public enum ContractSchemas {
    INPUT("policy-input.v1.json"),
    DECISION("policy-decision.v1.json");

    private final Schema schema;

    ContractSchemas(String file) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        try (InputStream in = Files.newInputStream(RepoFiles.schemasDir().resolve(file))) {
            this.schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every violation, as "location: message"; empty when the document is valid. */
    public List<String> violations(JsonNode document) {
        return schema.validate(document).stream().map(Error::toString).toList();
    }
}
