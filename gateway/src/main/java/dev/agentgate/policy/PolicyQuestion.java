package dev.agentgate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One client command to be decided: the {@code command} object of the policy input and, for
 * commands that carry SQL, the SQL text (analysed into one decision per statement).
 *
 * @param command {@code type} plus command-specific fields, as in docs/policy.md
 * @param sql the SQL of a query or prepare, else null
 */
public record PolicyQuestion(Map<String, Object> command, String sql) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public PolicyQuestion {
        command = Map.copyOf(command);
        if (!command.containsKey("type")) {
            throw new IllegalArgumentException("command must have a type, was " + command);
        }
    }

    public static PolicyQuestion query(String sql) {
        return new PolicyQuestion(Map.of("type", "query"), Objects.requireNonNull(sql, "sql"));
    }

    public static PolicyQuestion prepare(String sql) {
        return new PolicyQuestion(Map.of("type", "prepare"), Objects.requireNonNull(sql, "sql"));
    }

    /** A protocol command without SQL or arguments the policy reads, e.g. {@code ping}. */
    public static PolicyQuestion command(String type) {
        return new PolicyQuestion(Map.of("type", type), null);
    }

    public static PolicyQuestion initDb(String schema) {
        return new PolicyQuestion(Map.of("type", "init_db", "schema", schema), null);
    }

    public static PolicyQuestion fieldList(String schema, String table) {
        return schema == null
                ? new PolicyQuestion(Map.of("type", "field_list", "table", table), null)
                : new PolicyQuestion(Map.of("type", "field_list", "schema", schema, "table", table), null);
    }

    /**
     * An EXECUTE of a prepared statement; it carries no SQL (its facts are those of the PREPARE).
     *
     * @param parameters the bound values, null when the policy did not ask for them: {@code null}, {@link
     *     Long}, {@link BigInteger}, {@link Float}, {@link Double}, {@link String} or {@code byte[]}
     */
    public static PolicyQuestion execute(int statementId, List<Object> parameters) {
        long id = Integer.toUnsignedLong(statementId);
        if (parameters == null) {
            return new PolicyQuestion(Map.of("type", "execute", "statement_id", id), null);
        }
        List<Object> values = new ArrayList<>(parameters.size());
        for (Object value : parameters) {
            values.add(jsonValue(value));
        }
        return new PolicyQuestion(
                Map.of("type", "execute", "statement_id", id, "parameters", Collections.unmodifiableList(values)),
                null);
    }

    /** A bound value as the policy input shows it: exact numbers, text, binary as base64. */
    private static Object jsonValue(Object value) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof BigInteger big) {
            return big.toString();
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return value.toString();
        }
        return value;
    }

    /** Whether the command carries bound values, which are literals a decision may depend on. */
    public boolean hasBoundValues() {
        return command.containsKey("parameters");
    }

    /**
     * The text that identifies this command's decision in the cache (besides identity, target, database and
     * type): the statement's SQL, else the command; plus the bound values as JSON, so {@code 42} and
     * {@code "42"} differ.
     */
    public String cacheText(String statementSql) {
        String text = statementSql == null ? command.toString() : statementSql;
        if (!hasBoundValues()) {
            return text;
        }
        try {
            return text + "\n" + JSON.writeValueAsString(command.get("parameters"));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("bound values are plain JSON values", impossible);
        }
    }

    public String type() {
        return (String) command.get("type");
    }
}
