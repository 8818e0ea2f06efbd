package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The policy revision read from the provenance of an OPA answer ({@code ?provenance=true}). */
class BundleRevisionsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anAnswerFromOneBundleNamesThatBundlesRevision() throws Exception {
        assertThat(
                        revisionOf(
                                "{\"provenance\": {\"version\": \"1.22.2\", \"bundles\": {\"b\": {\"revision\": \"rev-42\"}}}}"))
                .isEqualTo("rev-42");
    }

    @Test
    void anAnswerFromSeveralBundlesNamesEachRevisionByBundleNameInOrder() throws Exception {
        assertThat(
                        revisionOf(
                                "{\"provenance\": {\"bundles\": {\"policy\": {\"revision\": \"7\"}, \"data\": {\"revision\": \"3\"}}}}"))
                .isEqualTo("data=3,policy=7");
    }

    @Test
    void anAnswerFromPolicyFilesWithoutABundleNamesNoRevision() throws Exception {
        assertThat(revisionOf("{\"provenance\": {\"version\": \"1.22.2\"}, \"result\": {}}"))
                .isNull();
        assertThat(revisionOf("{\"result\": {}}")).isNull();
    }

    @Test
    void aBundleWithoutARevisionIsLeftOut() throws Exception {
        assertThat(revisionOf("{\"provenance\": {\"bundles\": {\"b\": {}, \"c\": {\"revision\": \"\"}}}}"))
                .isNull();
    }

    private static String revisionOf(String answer) throws Exception {
        return BundleRevisions.of(MAPPER.readTree(answer));
    }
}
