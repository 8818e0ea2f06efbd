package dev.agentgate.analysis;

/**
 * What identifies a single statement's decision in a cache, found by the lexer alone: its text and
 * its digest text, exactly as {@link StatementAnalyzer#analyze} would report them.
 *
 * @param sql the statement's text (as {@link StatementFacts#sql()})
 * @param digest the digest text, as {@link StatementFacts#digest()}: a cache can key by it without hashing it first
 */
public record StatementKey(String sql, String digest) {}
