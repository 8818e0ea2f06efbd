package dev.agentgate.analysis.lineage;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the uses of masked columns that leak without being output columns while a
 * statement's lineage is walked. A use is recorded per masked source column found in the lineage of the
 * clause. De-duplicated, in order of discovery. Not thread-safe (one per statement).
 */
final class MaskedColumnUses {

    private final MaskedColumns masked;
    private final Set<MaskedColumnUse> uses;
    private final MaskedUse overriddenUse;
    private final String detailPrefix;

    MaskedColumnUses(MaskedColumns masked) {
        this(masked, new LinkedHashSet<>(), null, "");
    }

    private MaskedColumnUses(
            MaskedColumns masked, Set<MaskedColumnUse> uses, MaskedUse overriddenUse, String detailPrefix) {
        this.masked = masked;
        this.uses = uses;
        this.overriddenUse = overriddenUse;
        this.detailPrefix = detailPrefix;
    }

    /** A view of this collector that records every use as {@code use}, its detail prefixed (CREATE VIEW ...). */
    MaskedColumnUses as(MaskedUse use, String prefix) {
        return new MaskedColumnUses(masked, uses, use, detailPrefix + prefix + ": ");
    }

    /** A view of this collector whose details are prefixed (PREPARE s: ...). */
    MaskedColumnUses prefixed(String prefix) {
        return new MaskedColumnUses(masked, uses, overriddenUse, detailPrefix + prefix + ": ");
    }

    /** A collector that records nothing (view bodies: their own filters are not the client's doing). */
    static MaskedColumnUses ignoring() {
        return new MaskedColumnUses(MaskedColumns.NONE);
    }

    MaskedColumns masked() {
        return masked;
    }

    /** Records each masked column among {@code sources}. */
    void report(ColumnSources sources, MaskedUse use, String detail) {
        if (masked.isEmpty()) {
            return;
        }
        for (SourceColumn column : sources.columns()) {
            if (masked.matches(column)) {
                add(column.qualifiedName(), use, detail);
            }
        }
        boolean copied = (overriddenUse != null ? overriddenUse : use) == MaskedUse.COPY
                || overriddenUse == MaskedUse.DEFINITION;
        if (sources.opaque() || sources.unknown() && copied) {
            // a value of unknown origin (a view whose definition is not visible, a table missing from the catalog) may
            // be a masked one: tested, ordered, converted or copied, it tells what masking hides; a user variable's
            // value is unknown too, and copied out of the masking's reach it could not be masked later
            add(null, use, detail + " (value of unknown origin)");
        }
    }

    /** Records a use that names no column: SQL that runs out of sight. */
    void reportUnseen(MaskedUse use, String detail) {
        if (!masked.isEmpty()) {
            add(null, use, detail);
        }
    }

    /** Records a masked column found by name only (stored program bodies are not parsed). */
    void reportPattern(String pattern, MaskedUse use, String detail) {
        add(pattern, use, detail);
    }

    List<MaskedColumnUse> uses() {
        return List.copyOf(uses);
    }

    private void add(String column, MaskedUse use, String detail) {
        uses.add(new MaskedColumnUse(column, overriddenUse != null ? overriddenUse : use, detailPrefix + detail));
    }
}
