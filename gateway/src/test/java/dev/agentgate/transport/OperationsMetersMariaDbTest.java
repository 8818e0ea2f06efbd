package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.approval.Approver;
import dev.agentgate.approval.Verdict;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.DevGateway;
import dev.agentgate.testing.PrometheusSamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations meters moving with what sessions do, in a gateway with a real MariaDB and OPA: values masked, a
 * statement held for approval, OPA's round trips in the timer's buckets.
 */
@Tag("integration")
class OperationsMetersMariaDbTest {

    private static final String POLICY = """
      package agentgate

      import rego.v1

      default decision := {"action": "allow", "reason": "test: everything else"}

      decision := {"action": "mask", "reason": "test: ssn is masked", "masks": {"shop.people.ssn": {"strategy": "redact"}}} if {
        input.statement.type == "select"
        contains(lower(input.statement.sql), "people")
      }

      decision := {
      	"action": "require_approval",
      	"reason": "test: deletes need approval",
      	"approval": {"channel": "test:#approvals", "approvers": ["dba"], "mode": "hold", "timeout_s": 30},
      } if input.statement.type == "delete"
      """;

    @TempDir
    static Path directory;

    private static DevGateway gateway;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        gateway = DevGateway.start(
                directory,
                POLICY,
                "CREATE DATABASE shop; CREATE TABLE shop.people (id INT PRIMARY KEY, ssn VARCHAR(11));"
                        + " INSERT INTO shop.people VALUES (1, '123-45-6789'), (2, '987-65-4321');",
                MaskingConfig.NONE,
                DevGateway.Options.defaults().withAdmin());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theMaskedValuesCounterGrowsByTheValuesSentMasked() throws Exception {
        double before = scrape().getOrDefault("agentgate_masked_values_total", 0.0);
        int rowsRead = 0;
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, ssn FROM people ORDER BY id")) {
            while (rows.next()) {
                assertThat(rows.getString("ssn")).doesNotContain("-45-", "-65-");
                rowsRead++;
            }
        }

        // one masked value per row (the approval test may have deleted a row before this one runs); counted on the
        // event loop right after each row is passed on, so the client may read a row before its count
        assertThat(rowsRead).isPositive();
        double expected = before + rowsRead;
        awaitSample("agentgate_masked_values_total", value -> value == expected);
    }

    @Test
    void theApprovalsWaitingGaugeCountsAHeldStatementUntilItIsDecided() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
                try {
                    return statement.executeUpdate("DELETE FROM people WHERE id = 2");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });

            awaitSample("agentgate_approvals_waiting", value -> value == 1.0);
            String requestId = gateway.server()
                    .approvals()
                    .pending()
                    .join()
                    .get(0)
                    .request()
                    .id();
            gateway.server()
                    .approvals()
                    .decide(
                            requestId,
                            new Approver(DevIssuer.ISSUER, "alice", List.of("dba"), Approver.Via.API),
                            Verdict.APPROVE,
                            "127.0.0.1")
                    .join();
            assertThat(delete.get(30, TimeUnit.SECONDS)).isEqualTo(1);

            awaitSample("agentgate_approvals_waiting", value -> value == 0.0);
        }
    }

    @Test
    void opaRoundTripsAreCountedInTheTimersBuckets() throws Exception {
        try (Connection connection = gateway.connect("appdb", "shop");
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 'asks OPA'").close();
        }

        Map<String, Double> samples = scrape();
        double count = samples.get("agentgate_opa_request_duration_seconds_count");
        assertThat(count).isGreaterThanOrEqualTo(1.0);
        assertThat(samples.get("agentgate_opa_request_duration_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(count);
        assertThat(samples)
                .containsKeys(
                        "agentgate_opa_request_duration_seconds_bucket{le=\"0.001\"}",
                        "agentgate_opa_request_duration_seconds_bucket{le=\"0.25\"}",
                        "agentgate_opa_request_duration_seconds_bucket{le=\"5.0\"}");
    }

    private Map<String, Double> awaitSample(String name, Predicate<Double> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Double> samples = scrape();
        while (!expected.test(samples.getOrDefault(name, Double.NaN))) {
            assertThat(System.nanoTime())
                    .as("%s as expected within 30 s, was %s", name, samples.get(name))
                    .isLessThan(deadline);
            Thread.sleep(100);
            samples = scrape();
        }
        return samples;
    }

    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + gateway.server().adminPort() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusSamples.parse(response.body());
    }
}
