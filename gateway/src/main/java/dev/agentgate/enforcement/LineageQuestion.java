package dev.agentgate.enforcement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The second question about a statement the policy decided to mask: the first input plus {@code
 * statement.lineage}. Its answer is cached (where the policy allows) under keys marked "with lineage" that also
 * carry a fingerprint of the lineage, so that after a schema change the policy is asked about the new lineage.
 */
final class LineageQuestion {

    private final CachingEngine engine;
    private final PolicyInput inputs;
    private final DecisionKeys keys;
    private final ObjectMapper mapper = new ObjectMapper();

    LineageQuestion(CachingEngine engine, PolicyInput inputs, DecisionKeys keys) {
        this.engine = engine;
        this.inputs = inputs;
        this.keys = keys;
    }

    CompletableFuture<Decision> ask(
            Identity identity,
            SessionFacts session,
            PolicyQuestion command,
            StatementFacts statement,
            StatementLineage lineage) {
        return ask(
                identity, session, command, statement, lineage, input(identity, session, command, statement, lineage));
    }

    /** @param input what {@link #input} made for the same question */
    CompletableFuture<Decision> ask(
            Identity identity,
            SessionFacts session,
            PolicyQuestion command,
            StatementFacts statement,
            StatementLineage lineage,
            Supplier<JsonNode> input) {
        DecisionKeys.Keys cachedUnder =
                engine.caches() ? keys.withLineage(identity, session, command, statement, fingerprint(lineage)) : null;
        return engine.decide(cachedUnder, input);
    }

    /** The input of the question, built when called. */
    Supplier<JsonNode> input(
            Identity identity,
            SessionFacts session,
            PolicyQuestion command,
            StatementFacts statement,
            StatementLineage lineage) {
        return () -> inputs.build(identity, session, command.command(), statement, lineage);
    }

    /**
     * SHA-256 of the lineage as the policy sees it, without the SQL (the cache key has it, or deliberately not: a
     * decision cached by digest).
     */
    private String fingerprint(StatementLineage lineage) {
        ObjectNode json = mapper.valueToTree(lineage);
        json.remove("sql");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(mapper.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException impossible) {
            throw new IllegalStateException("SHA-256 and plain JSON are always available", impossible);
        }
    }

    /**
     * The decision a masked statement proceeds with, for the session's record: the second answer's reason, id and
     * obligations, both answers' masks (the first's rule wins a pattern named twice; both are applied), the first
     * answer's caching, re-asking at EXECUTE when either answer asked for it.
     */
    static Decision.Mask combined(Decision.Mask first, Decision second) {
        Map<String, Decision.MaskRule> masks = new LinkedHashMap<>(first.masks());
        Decision.Obligations obligations = first.obligations();
        if (second instanceof Decision.Mask more) {
            more.masks().forEach(masks::putIfAbsent);
            obligations = more.obligations();
        } else if (second instanceof Decision.Allow allow) {
            obligations = allow.obligations();
        }
        Decision.Caching caching = new Decision.Caching(
                first.caching().ttl(),
                first.caching().byDigest(),
                first.caching().reaskOnExecute() || second.caching().reaskOnExecute());
        return new Decision.Mask(second.reason(), second.decisionId(), masks, obligations, caching);
    }
}
