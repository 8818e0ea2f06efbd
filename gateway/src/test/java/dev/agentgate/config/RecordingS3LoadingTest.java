package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code recording.s3} section: the fleet's object store. */
class RecordingS3LoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    private static final String HASH_KEY = "policy:\n  masking:\n    hash_key: \"fleet-wide-hash-key-0123\"\n";

    private static String s3(String keys) {
        return HASH_KEY + "recording:\n  s3:\n" + keys.indent(4);
    }

    @Test
    void readsEveryKeyOfTheStore() {
        RecordingConfig.S3Config s3 =
                fixture.load(ISSUER + TARGET + s3("""
                        endpoint: http://127.0.0.1:9000
                        bucket: sessions
                        region: eu-west-1
                        access_key: "AK"
                        secret_key: "SK"
                        path_style: true
                        prefix: fleet/
                        """)).recording().s3().orElseThrow();

        assertThat(s3)
                .isEqualTo(new RecordingConfig.S3Config(
                        "http://127.0.0.1:9000", "sessions", "eu-west-1", "AK", "SK", true, "fleet/"));
    }

    @Test
    void leavingBothKeysOutUsesTheAwsDefaultChain() {
        RecordingConfig.S3Config s3 = fixture.load(ISSUER + TARGET + s3("bucket: sessions\n"))
                .recording()
                .s3()
                .orElseThrow();

        assertThat(s3.accessKey()).isNull();
        assertThat(s3.secretKey()).isNull();
        assertThat(s3.region()).isEqualTo("us-east-1");
    }

    @Test
    void neverShowsTheKeysWhenPrinted() {
        RecordingConfig.S3Config s3 = fixture.load(ISSUER
                        + TARGET
                        + s3("bucket: sessions\naccess_key: \"AKIDSECRETLY\"\nsecret_key: \"VERYSECRET\"\n"))
                .recording()
                .s3()
                .orElseThrow();

        assertThat(s3.toString()).doesNotContain("AKIDSECRETLY").doesNotContain("VERYSECRET");
    }

    private void assertRejectedStartingWith(String yaml, String message) {
        assertThatThrownBy(() -> fixture.load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsAnAccessKeyWithoutItsSecret() {
        assertRejectedStartingWith(
                ISSUER + TARGET + s3("bucket: sessions\naccess_key: \"AK\"\n"),
                "recording.s3.secret_key: is required with access_key");
    }

    @Test
    void rejectsAnEndpointThatIsNotAnHttpUrl() {
        fixture.assertRejected(
                ISSUER + TARGET + s3("bucket: sessions\nendpoint: 127.0.0.1:9000\n"),
                "recording.s3.endpoint: must be an http:// or https:// URL, was '127.0.0.1:9000'");
    }

    @Test
    void rejectsABucketNameS3WouldRefuse() {
        assertRejectedStartingWith(
                ISSUER + TARGET + s3("bucket: My_Sessions\n"), "recording.s3.bucket: is not a valid bucket name");
    }

    @Test
    void aFleetStoreRequiresTheMaskingHashKeySoEveryReplicaHashesAlike() {
        fixture.assertRejected(
                ISSUER + TARGET + "recording:\n  s3:\n    bucket: sessions\n",
                "policy.masking.hash_key: is required with recording.s3: every replica of a fleet must hash a"
                        + " masked value alike, and without a key each gateway process hashes with a random key of its"
                        + " own");
    }
}
