package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementKey;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.util.List;

/**
 * The verdict on a plain one-statement query whose decision is cached, found with the lexer alone: parsing costs
 * far more than asking the cache, so a hit must not pay for it. This runs on the event loop for nearly every
 * statement of a busy session, so it stays small: lex, build the two keys, look up. Thread-safe.
 */
final class CachedVerdicts {

    /** Longer queries are lexed only off the event loop, on the full path. */
    static final int QUICK_LOOKUP_MAX_CHARS = 4096;

    private final StatementAnalyzer analyzer;
    private final DecisionCache cache;
    private final DecisionKeys keys;
    private final PolicyInput inputs;
    private final MaskedShapes shapes;

    CachedVerdicts(
            StatementAnalyzer analyzer,
            DecisionCache cache,
            DecisionKeys keys,
            PolicyInput inputs,
            MaskedShapes shapes) {
        this.analyzer = analyzer;
        this.shapes = shapes;
        this.cache = cache;
        this.keys = keys;
        this.inputs = inputs;
    }

    /**
     * Null when the full path must decide (not a query, a batch, USE or PREPARE, DDL, a long statement, a miss, a
     * mask of a shape not settled before).
     */
    GateResult find(Identity identity, SessionFacts session, PolicyQuestion question) {
        if (!"query".equals(question.type()) || question.sql().length() > QUICK_LOOKUP_MAX_CHARS) {
            return null;
        }
        try {
            StatementKey key = analyzer.singleStatementKey(question.sql(), session.lexing())
                    .orElse(null);
            if (key == null || SchemaChanges.mayChangeSchema(key.digest())) {
                return null; // DDL takes the full path, which makes the catalog forget what it changes
            }
            String fingerprint = keys.fingerprint(identity);
            DecisionKeys.Keys found = keys.of(fingerprint, session, question, question.type(), key.sql(), key.digest());
            // A mask needs the statement's lineage (only a statement of a shape settled before has it at hand), an
            // approval its facts: the full path handles those.
            Decision hit = cache.getBeforeAnalysis(
                            found.exact(),
                            found.digest(),
                            decision -> !(decision instanceof Decision.Mask
                                    || decision instanceof Decision.RequireApproval))
                    .orElse(null);
            if (hit == null) {
                // the shape's verdict, with the input of its final (lineage) question (built only when a sink asks)
                return shapes == null ? null : shapes.find(identity, fingerprint, session, question, key);
            }
            PolicyInputs askedWith = PolicyInputs.of(List.of(() -> inputOf(identity, session, question)));
            return StatementGate.refusedOr(
                    List.of(hit),
                    new GateResult.Proceed(List.of(), List.of(hit), ResponseMasking.NONE, askedWith),
                    askedWith);
        } catch (RuntimeException lexerTrouble) {
            return null; // the full path decides, and fails closed if it must
        }
    }

    /**
     * The input the full path would have asked with: the statement's facts need the parser, which the hit saved, so
     * they are found only when someone asks for the input (off the event loop, by a sink).
     */
    private JsonNode inputOf(Identity identity, SessionFacts session, PolicyQuestion question) {
        StatementFacts statement = analyzer.analyze(
                        question.sql(), session.database(), session.lexing(), session.sessionId())
                .statements()
                .get(0);
        return inputs.build(identity, session, question.command(), statement);
    }
}
