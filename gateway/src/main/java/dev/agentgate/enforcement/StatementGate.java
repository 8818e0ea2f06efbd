package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.analysis.Feature;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementKey;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each client command through analysis and policy before it may reach the backend: one
 * decision per statement, and a batch runs only when every statement in it is allowed. Every
 * failure on the way is a refusal (fail closed).
 */
public final class StatementGate {

  private static final Logger log = LoggerFactory.getLogger(StatementGate.class);

  /** ER_TABLEACCESS_DENIED_ERROR: drivers report it as an access error (SQLSTATE 42000). */
  static final int ACCESS_DENIED = 1142;
  static final String ACCESS_DENIED_STATE = "42000";

  /** Longer queries are lexed only off the event loop, on the full path. */
  private static final int QUICK_LOOKUP_MAX_CHARS = 4096;

  private final StatementAnalyzer analyzer;
  private final PolicyEngine engine;
  private final DecisionCache cache;
  private final PolicyInput inputs;
  private final IdentityFingerprints fingerprints;
  private final Executor analysisExecutor;

  /**
   * @param cache decisions the policy allows to reuse; null for none
   * @param analysisExecutor where parsing runs, off the network threads (it is CPU work with a time limit)
   */
  public StatementGate(StatementAnalyzer analyzer, PolicyEngine engine, DecisionCache cache, PolicyInput inputs, Executor analysisExecutor) {
    this.analyzer = analyzer;
    this.engine = engine;
    this.cache = cache;
    this.inputs = inputs;
    this.fingerprints = new IdentityFingerprints();
    this.analysisExecutor = analysisExecutor;
  }

  /** Completes, on an arbitrary thread, with the verdict on the whole command; never exceptionally. */
  public CompletableFuture<GateResult> check(Identity identity, SessionFacts session, PolicyQuestion question) {
    GateResult cached = cachedVerdict(identity, session, question);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return guarded(() -> CompletableFuture
        .supplyAsync(() -> statementsOf(question, session), analysisExecutor)
        .thenCompose(statements -> decideAll(identity, session, question, statements)));
  }

  /**
   * Decides a command about statements analysed before, without analysing again: an EXECUTE of a
   * prepared statement is asked with the facts of its PREPARE. Completes like {@link #check(Identity,
   * SessionFacts, PolicyQuestion)}.
   */
  public CompletableFuture<GateResult> check(Identity identity, SessionFacts session, PolicyQuestion question, List<StatementFacts> statements) {
    return guarded(() -> decideAll(identity, session, question, List.copyOf(statements)));
  }

  /**
   * The verdict on a plain one-statement query whose decision is cached, found with the lexer alone:
   * parsing costs far more than asking the cache, so a hit must not pay for it. Null when the full
   * path must decide (no cache, a batch, a long statement, a miss).
   */
  private GateResult cachedVerdict(Identity identity, SessionFacts session, PolicyQuestion question) {
    if (cache == null || !"query".equals(question.type()) || question.sql().length() > QUICK_LOOKUP_MAX_CHARS) {
      return null;
    }
    try {
      StatementKey key = analyzer.singleStatementKey(question.sql()).orElse(null);
      if (key == null) {
        return null;
      }
      CacheKeys keys = cacheKeys(identity, session, question, question.type(), key.sql(), key.digestHash());
      return cache.getBeforeAnalysis(keys.exact(), keys.digest()).map(hit -> verdict(List.of(), List.of(hit))).orElse(null);
    } catch (RuntimeException lexerTrouble) {
      return null; // the full path decides, and fails closed if it must
    }
  }

  private record CacheKeys(DecisionCache.Key exact, DecisionCache.Key digest) {}

  /** @param statementSql null for commands without SQL; digestHash null when the decision may not be reused by digest */
  private CacheKeys cacheKeys(Identity identity, SessionFacts session, PolicyQuestion question, String command, String statementSql, String digestHash) {
    String fingerprint = fingerprints.of(identity);
    DecisionCache.Key exact = new DecisionCache.Key(fingerprint, session.target(), session.database(), command, question.cacheText(statementSql), false);
    // Bound values are literals: a decision about them is never reused by digest.
    DecisionCache.Key digest = digestHash == null || question.hasBoundValues() ? null
        : new DecisionCache.Key(fingerprint, session.target(), session.database(), command, digestHash, true);
    return new CacheKeys(exact, digest);
  }

  private static CompletableFuture<GateResult> guarded(Supplier<CompletableFuture<GateResult>> deciding) {
    CompletableFuture<GateResult> result;
    try {
      result = deciding.get();
    } catch (RuntimeException rejected) {
      result = CompletableFuture.failedFuture(rejected);
    }
    return result.exceptionally(error -> {
      log.error("policy check failed; refusing the statement", error);
      return new GateResult.Refuse(ACCESS_DENIED, ACCESS_DENIED_STATE, "Access denied by agentgate: the statement could not be checked against the policy", null);
    });
  }

  private List<StatementFacts> statementsOf(PolicyQuestion question, SessionFacts session) {
    if (question.sql() == null) {
      return List.of();
    }
    String database = session.database();
    List<StatementFacts> statements = new ArrayList<>(analyzer.analyze(question.sql(), database).statements());
    // The analyzer resolves unqualified tables against one database, but after a USE in a batch the
    // statements that follow run in another: those are analysed again against it, so the policy
    // judges the tables that will really be touched.
    for (int i = 0; i < statements.size() - 1; i++) {
      String after = DatabaseChanges.databaseAfter(statements.get(i), database);
      if (!Objects.equals(after, database)) {
        database = after;
        List<StatementFacts> reanalysed = analyzer.analyze(question.sql(), database).statements();
        for (int j = i + 1; j < statements.size(); j++) {
          statements.set(j, reanalysed.get(j));
        }
      }
    }
    return statements;
  }

  private CompletableFuture<GateResult> decideAll(Identity identity, SessionFacts session, PolicyQuestion question, List<StatementFacts> statements) {
    List<CompletableFuture<Decision>> decisions = new ArrayList<>();
    if (statements.isEmpty()) {
      decisions.add(decide(identity, session, question, null));
    } else {
      // A statement after USE in the same batch runs in the new database.
      SessionFacts current = session;
      for (StatementFacts statement : statements) {
        decisions.add(decide(identity, current, question, statement));
        current = DatabaseChanges.after(statement, current);
      }
    }
    return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> verdict(statements, decisions.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<Decision> decide(Identity identity, SessionFacts session, PolicyQuestion question, StatementFacts statement) {
    CacheKeys keys = null;
    if (cache != null) {
      // A statement's facts follow from its text (or digest) and the database, except whether it came
      // in a batch (feature multiple_statements), which a policy may read: that goes into the key too.
      String command = statement != null && statement.has(Feature.MULTIPLE_STATEMENTS) ? question.type() + " in a batch" : question.type();
      keys = cacheKeys(identity, session, question, command, statement == null ? null : statement.sql(), statement == null ? null : statement.digestHash());
      Decision hit = cache.get(keys.exact(), keys.digest()).orElse(null);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
    }
    JsonNode input = inputs.build(identity, session, question.command(), statement);
    CacheKeys storeUnder = keys;
    return engine.decide(input).thenApply(decision -> {
      if (storeUnder != null) {
        cache.put(storeUnder.exact(), storeUnder.digest(), decision);
      }
      return decision;
    });
  }

  private static GateResult verdict(List<StatementFacts> statements, List<Decision> decisions) {
    for (int i = 0; i < decisions.size(); i++) {
      Decision decision = decisions.get(i);
      if (decision instanceof Decision.Allow) {
        continue;
      }
      String which = decisions.size() > 1 ? "statement " + (i + 1) + " of " + decisions.size() + ": " : "";
      return new GateResult.Refuse(ACCESS_DENIED, ACCESS_DENIED_STATE, DenyMessages.of(decision, which), decision);
    }
    return new GateResult.Proceed(statements, decisions);
  }
}
