package dev.agentgate.analysis;

/**
 * What identifies a single statement's decision in a cache, found by the lexer alone: its text and
 * its digest hash, exactly as {@link StatementAnalyzer#analyze} would report them.
 *
 * @param sql the statement's text (as {@link StatementFacts#sql()})
 * @param digestHash as {@link StatementFacts#digestHash()}
 */
public record StatementKey(String sql, String digestHash) {}
