package dev.agentgate.enforcement;

import dev.agentgate.analysis.Feature;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;

/**
 * The keys a decision is cached under: who asks (identity fingerprint), where (target, database), which command,
 * and the statement's text or digest. Thread-safe.
 */
final class DecisionKeys {

    /** @param digest null when the decision may not be reused by digest */
    record Keys(DecisionCache.Key exact, DecisionCache.Key digest) {}

    private final IdentityFingerprints fingerprints = new IdentityFingerprints();

    /** The keys of the first question about {@code statement} (null for commands without SQL). */
    Keys forStatement(Identity identity, SessionFacts session, PolicyQuestion question, StatementFacts statement) {
        return statement == null
                ? of(identity, session, question, question.type(), null, null)
                : of(identity, session, question, command(question, statement), statement.sql(), statement.digest());
    }

    /**
     * The keys of the second question about a masked statement, whose input also carries the lineage: marked
     * "with lineage" and extended by a fingerprint of it, so that a changed schema (other lineage) asks again.
     */
    Keys withLineage(
            Identity identity,
            SessionFacts session,
            PolicyQuestion question,
            StatementFacts statement,
            String lineageFingerprint) {
        return of(
                identity,
                session,
                question,
                command(question, statement) + " with lineage",
                statement.sql() + "\nlineage " + lineageFingerprint,
                statement.digest() + " lineage " + lineageFingerprint);
    }

    /**
     * @param statementSql null for commands without SQL
     * @param digest the statement's digest text (a key needs no hash of it); null when the decision may not be reused by digest
     */
    Keys of(
            Identity identity,
            SessionFacts session,
            PolicyQuestion question,
            String command,
            String statementSql,
            String digest) {
        return of(fingerprint(identity), session, question, command, statementSql, digest);
    }

    /** As {@link #of(Identity, SessionFacts, PolicyQuestion, String, String, String)}, for the identity's {@link #fingerprint}. */
    Keys of(
            String fingerprint,
            SessionFacts session,
            PolicyQuestion question,
            String command,
            String statementSql,
            String digest) {
        DecisionCache.Key exact = new DecisionCache.Key(
                fingerprint, session.target(), session.database(), command, question.cacheText(statementSql), false);
        // Bound values are literals: a decision about them is never reused by digest.
        DecisionCache.Key byDigest = digest == null || question.hasBoundValues()
                ? null
                : new DecisionCache.Key(fingerprint, session.target(), session.database(), command, digest, true);
        return new Keys(exact, byDigest);
    }

    /** What the keys name of {@code identity}: what a policy can see of it, without what changes with every token. */
    String fingerprint(Identity identity) {
        return fingerprints.of(identity);
    }

    /**
     * The key of a decision that is reused by {@code digest} alone, whatever the statement's text (never for a
     * question with bound values, see {@link #of}).
     */
    DecisionCache.Key byDigest(String fingerprint, SessionFacts session, String command, String digest) {
        return new DecisionCache.Key(fingerprint, session.target(), session.database(), command, digest, true);
    }

    /**
     * A statement's facts follow from its text (or digest) and the database, except whether it came in a batch
     * (feature multiple_statements), which a policy may read: that goes into the key too.
     */
    private static String command(PolicyQuestion question, StatementFacts statement) {
        return statement.has(Feature.MULTIPLE_STATEMENTS) ? question.type() + " in a batch" : question.type();
    }
}
