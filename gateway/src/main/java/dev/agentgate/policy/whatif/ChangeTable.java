package dev.agentgate.policy.whatif;

import java.io.PrintWriter;
import java.util.List;

/**
 * The what-if report: one row per decision that would change (statement, identity, old -> new action, the new
 * reason), aligned in columns, then a summary line. Long statements and reasons are cut to keep rows on one line.
 */
public final class ChangeTable {

    private static final int STATEMENT_WIDTH = 60;
    private static final int REASON_WIDTH = 120;

    private ChangeTable() {}

    public static void print(WhatIfReplay.Result result, PrintWriter out) {
        List<WhatIfReplay.Change> changed = result.changed();
        if (!changed.isEmpty()) {
            int statement = width(changed, true);
            int identity = width(changed, false);
            out.println(row("STATEMENT", statement, "IDENTITY", identity, "CHANGE", "NEW REASON"));
            for (WhatIfReplay.Change change : changed) {
                out.println(row(
                        cut(oneLine(change.recorded().statement()), STATEMENT_WIDTH),
                        statement,
                        change.recorded().identity(),
                        identity,
                        change.recorded().action() + " -> " + change.newAction(),
                        cut(change.newReason(), REASON_WIDTH)));
            }
        }
        out.println(result.replayed() + " decision(s) replayed, " + changed.size() + " would change"
                + (result.failed().isEmpty() ? "" : ", " + result.failed().size() + " could not be asked"));
        out.flush();
    }

    private static String row(String first, int firstWidth, String second, int secondWidth, String third, String last) {
        return pad(first, firstWidth) + "  " + pad(second, secondWidth) + "  " + pad(third, 26) + "  " + last;
    }

    private static int width(List<WhatIfReplay.Change> changes, boolean statement) {
        int width = statement ? "STATEMENT".length() : "IDENTITY".length();
        for (WhatIfReplay.Change change : changes) {
            int length = statement
                    ? Math.min(
                            STATEMENT_WIDTH,
                            oneLine(change.recorded().statement()).length())
                    : change.recorded().identity().length();
            width = Math.max(width, length);
        }
        return width;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
