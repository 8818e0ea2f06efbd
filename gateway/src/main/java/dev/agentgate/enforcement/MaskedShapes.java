package dev.agentgate.enforcement;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementKey;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.LineageMasking;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.StatementMasks;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Settled {@code mask} verdicts on single-statement queries, by statement shape ({@link StatementKey#shape()}):
 * a query of a shape seen before proceeds with the facts, final decision and lineage masking of the first one,
 * without parsing, tracing or asking the policy. Statements of one shape have the same facts and lineage but for
 * their text, so this holds as long as the policy allowed both answers to be reused by digest, and the catalog
 * the lineage was traced against has not changed (its version is in the key; a reuse never outlives {@link
 * #MAX_REUSE}, as the catalog's own entries expire). Only plain SELECTs of base tables are kept: a view's
 * definition must be confirmed with the server before each use, and a statement whose string literals hold
 * escapes does not stand for its shape. Thread-safe.
 */
final class MaskedShapes {

    /** How long one tracing of a shape's lineage stands for it at most. */
    static final Duration MAX_REUSE = Duration.ofSeconds(30);

    /**
     * @param askedLineage what the policy's second question was asked with (its text that of the first statement);
     *     null when the first answer stood for the lineage and there was no second question
     */
    private record Settled(
            StatementFacts facts,
            Decision decision,
            LineageMasking masking,
            StatementLineage askedLineage,
            Duration ttl) {}

    private final Cache<DecisionCache.Key, Settled> settled;
    private final StatementAnalyzer analyzer;
    private final DecisionKeys keys;
    private final TargetCatalogs catalogs;
    private final MaskingStrategy defaultRedact;
    private final PolicyInput inputs;

    MaskedShapes(
            long maxEntries,
            StatementAnalyzer analyzer,
            DecisionKeys keys,
            TargetCatalogs catalogs,
            MaskingStrategy defaultRedact,
            PolicyInput inputs) {
        this.inputs = inputs;
        this.settled = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run)
                .expireAfter(Expiry.creating((DecisionCache.Key key, Settled value) -> value.ttl()))
                .build();
        this.analyzer = analyzer;
        this.keys = keys;
        this.catalogs = catalogs;
        this.defaultRedact = defaultRedact;
    }

    /**
     * The verdict settled for a statement of this shape before, with this statement's text; else null. Its input is
     * the one the final question (with lineage, if there was one) would be asked with for this statement, so a
     * recording of it can be replayed against another policy as if the policy had been asked.
     */
    GateResult.Proceed find(
            Identity identity,
            String fingerprint,
            SessionFacts session,
            PolicyQuestion question,
            StatementKey statement) {
        if (question.hasBoundValues()) {
            return null; // never settled (see remember)
        }
        Settled hit = settled.getIfPresent(key(fingerprint, session, statement.shape(), catalogVersion(session)));
        if (hit == null) {
            return null;
        }
        StatementFacts facts = hit.facts().withSql(statement.sql());
        StatementLineage lineage = hit.askedLineage() == null ? null : withText(hit.askedLineage(), statement.sql());
        return new GateResult.Proceed(
                List.of(facts),
                List.of(hit.decision()),
                hit.masking(),
                PolicyInputs.of(List.of(() -> lineage == null
                        ? inputs.build(identity, session, question.command(), facts)
                        : inputs.build(identity, session, question.command(), facts, lineage))));
    }

    /** The catalog version to remember a verdict under: read before the statement's lineage is traced. */
    long catalogVersion(SessionFacts session) {
        return catalogs.version(session.target());
    }

    /**
     * Keeps the verdict on a query that is this one statement, if it may stand for its shape.
     *
     * @param catalogVersion {@link #catalogVersion} before the lineage was traced
     * @param askedWithLineage whether the policy was asked a second time, with the lineage of {@code masks}
     */
    void remember(
            Identity identity,
            SessionFacts session,
            PolicyQuestion question,
            long catalogVersion,
            StatementFacts facts,
            Decision.Caching reuse,
            Decision decision,
            StatementMasks masks,
            boolean askedWithLineage) {
        if (!"query".equals(question.type()) || question.sql().length() > CachedVerdicts.QUICK_LOOKUP_MAX_CHARS) {
            return;
        }
        StatementKey statement =
                analyzer.singleStatementKey(question.sql(), session.lexing()).orElse(null);
        if (statement == null
                || !statement.representative()
                || !statement.sql().equals(facts.sql())
                || !reuse.byDigest()
                || !reuse.cacheable()
                || question.hasBoundValues()
                || !facts.parsed()
                || facts.type() != StatementType.SELECT
                || masks.lineage() == null
                || !masks.lineage().complete()
                || catalogVersion != catalogVersion(session)) {
            return;
        }
        Duration ttl = reuse.ttl().compareTo(MAX_REUSE) < 0 ? reuse.ttl() : MAX_REUSE;
        settled.put(
                key(keys.fingerprint(identity), session, statement.shape(), catalogVersion),
                new Settled(
                        facts,
                        decision,
                        new LineageMasking(List.of(masks), defaultRedact, Set.of()),
                        askedWithLineage ? masks.lineage() : null,
                        ttl));
    }

    /** A settled verdict is kept by the identity, where it ran, and the shape with the catalog version traced against. */
    private DecisionCache.Key key(String fingerprint, SessionFacts session, String shape, long catalogVersion) {
        return keys.byDigest(fingerprint, session, "query settled", shape + "\ncatalog " + catalogVersion);
    }

    private static StatementLineage withText(StatementLineage lineage, String sql) {
        return new StatementLineage(
                sql, lineage.columns(), lineage.complete(), lineage.incompleteReason(), lineage.maskedUses());
    }
}
