package dev.agentgate.analysis;

/**
 * What identifies a single statement's decision in a cache, found by the lexer alone: its text and
 * its digest text, exactly as {@link StatementAnalyzer#analyze} would report them, and its shape.
 *
 * @param sql the statement's text (as {@link StatementFacts#sql()})
 * @param digest the digest text, as {@link StatementFacts#digest()}: a cache can key by it without hashing it first
 * @param shape the digest text with the kinds of the literals, and the literals whose values matter (a column
 *     position in ORDER BY): statements of one shape have the same facts and lineage, except for their text
 * @param representative whether this statement may stand for every statement of its shape: its literals are
 *     plain (no escapes or quotes inside a string), so its parse cannot depend on a parser's reading of escapes
 */
public record StatementKey(String sql, String digest, String shape, boolean representative) {}
