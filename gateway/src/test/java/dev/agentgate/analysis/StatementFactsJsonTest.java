package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementFactsJsonTest extends AnalyzerFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String sql) {
        return JSON.valueToTree(facts(sql));
    }

    @Test
    void serialisesEveryFieldInSnakeCaseInTheDocumentedOrder() {
        List<String> keys = new ArrayList<>();
        json("SELECT 1").fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .containsExactly(
                        "sql",
                        "type",
                        "parsed",
                        "parse_error",
                        "tables",
                        "columns",
                        "databases",
                        "functions",
                        "where_clause",
                        "limit_clause",
                        "features",
                        "digest",
                        "digest_hash");
    }

    @Test
    void writesEnumsInLowerCase() {
        JsonNode node = json("UPDATE t SET a = SLEEP(1) WHERE b = @x");
        assertThat(node.get("type").asText()).isEqualTo("update");
        assertThat(node.at("/tables/0/access").asText()).isEqualTo("write");
        assertThat(node.at("/columns/0/uses/0").asText()).isEqualTo("write");
        assertThat(node.get("features").toString()).isEqualTo("[\"sleep\",\"user_variables\"]");
    }

    @Test
    void writesTableAndColumnObjectsWithAllTheirKeysEvenWhenNull() {
        JsonNode node = json("SELECT a FROM t1, t2");
        assertThat(node.at("/columns/0").toString())
                .isEqualTo("{\"schema\":null,\"table\":null,\"name\":\"a\",\"uses\":[\"select\"]}");
        assertThat(node.at("/tables/0").toString())
                .isEqualTo("{\"schema\":\"app\",\"name\":\"t1\",\"access\":\"read\"}");
    }

    @Test
    void writesParseErrorNullForAParsedStatementAndAMessageOtherwise() {
        assertThat(json("SELECT 1").get("parse_error").isNull()).isTrue();
        assertThat(json("SELEKT 1").get("parse_error").asText()).isNotBlank();
    }
}
