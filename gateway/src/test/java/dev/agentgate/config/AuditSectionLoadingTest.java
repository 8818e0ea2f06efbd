package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional audit section: the SIEM export. */
class AuditSectionLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void exportsNothingWhenTheSectionIsAbsent() {
        assertThat(fixture.load(ISSUER + TARGET).audit().enabled()).isFalse();
    }

    @Test
    void aDashExportsToStandardOutput() {
        assertThat(fixture.load(ISSUER + TARGET + "audit:\n  jsonl: \"-\"\n").audit())
                .isEqualTo(new AuditConfig("-"));
    }

    @Test
    void aRelativePathIsResolvedAgainstTheConfigFilesDirectory() {
        assertThat(fixture.load(ISSUER + TARGET + "audit:\n  jsonl: logs/audit.jsonl\n")
                        .audit()
                        .jsonl())
                .isEqualTo(dir.resolve("logs/audit.jsonl").toString());
    }

    @Test
    void rejectsAMisspeltAuditKeyInsteadOfIgnoringIt() {
        fixture.assertRejected(
                ISSUER + TARGET + "audit:\n  json: \"-\"\n", "unknown key 'audit.json' (expected one of: jsonl)");
    }
}
