package dev.agentgate.analysis;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import net.sf.jsqlparser.statement.Statement;

/**
 * The syntax trees of the statements whose facts were collected last, so that the column lineage of the same
 * statements (traced when the policy answers {@code mask}) need not parse them a second time: parsing is the
 * dominant cost of both. Keyed by the exact text handed to the parser, so a tree only ever stands in for a parse
 * of the very same text. Only trees that parsed and whose facts walk finished are kept (a failed or timed-out
 * parse is tried again, under its own time budget); both walks only read the trees. A tree is handed out once:
 * after the facts walk that produced it has finished, one lineage walk takes it over, never two threads at once.
 * Bounded by the total length of the texts kept, oldest forgotten first (a tree takes about 25-60 bytes per
 * character: at most about 2 MB).
 */
final class RecentParses {

    /**
     * A tree is taken within one policy round trip of its parse (milliseconds): this covers the statements of many
     * concurrent sessions, yet keeps trees short-lived, so that the trees of statements that are never masked (most)
     * die young instead of being copied from one GC survivor space to the next.
     */
    private static final int MAX_TOTAL_CHARS = 32 * 1024;
    /** Longer statements are rare and would push out many short ones: they are parsed again when needed. */
    private static final int MAX_TEXT_CHARS = 8 * 1024;

    /**
     * Oldest first. Plain insertion order, not a frequency-based cache: every tree is new, and the one to keep is
     * the one remembered last (most are never taken: the policy allowed their statements).
     */
    private final LinkedHashMap<String, Statement> trees = new LinkedHashMap<>();

    private int totalChars;

    /** @param parserText exactly the text the tree was parsed from */
    synchronized void remember(String parserText, Statement tree) {
        if (parserText.length() > MAX_TEXT_CHARS) {
            return;
        }
        take(parserText); // the same text again: the newer tree, at the young end
        trees.put(parserText, tree);
        totalChars += parserText.length();
        for (Iterator<String> oldest = trees.keySet().iterator(); totalChars > MAX_TOTAL_CHARS; oldest.remove()) {
            totalChars -= oldest.next().length();
        }
    }

    /** The tree last parsed from exactly this text, removed so that nobody else takes it; else empty. */
    synchronized Optional<Statement> take(String parserText) {
        Statement tree = trees.remove(parserText);
        if (tree != null) {
            totalChars -= parserText.length();
        }
        return Optional.ofNullable(tree);
    }
}
