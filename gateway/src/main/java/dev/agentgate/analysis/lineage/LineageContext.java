package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.ParsedStatement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.statement.select.Select;

/**
 * What the walks of one statement share: the catalog, the parser, and the views expanded so far (each view is
 * expanded once per statement; a view that refers to itself, directly or not, or nests too deep is opaque).
 */
final class LineageContext {

    private static final int MAX_VIEW_DEPTH = 16;

    private final Catalog catalog;
    private final ViewDefinitions definitions;
    private final Map<String, ViewLineage> views = new HashMap<>();
    private final Deque<String> expanding = new ArrayDeque<>();

    /** A view's relation and why it may be incomplete. */
    record ViewLineage(Relation relation, List<String> gaps) {}

    LineageContext(Catalog catalog, ViewDefinitions definitions) {
        this.catalog = catalog;
        this.definitions = definitions;
    }

    Catalog catalog() {
        return catalog;
    }

    /** The lineage of a view's columns, from its definition, with the view's schema as current database. */
    ViewLineage view(CatalogTable view) {
        String key = (view.schema() + "." + view.name()).toLowerCase(Locale.ROOT);
        ViewLineage known = views.get(key);
        if (known != null) {
            return known;
        }
        if (expanding.contains(key) || expanding.size() >= MAX_VIEW_DEPTH) {
            return new ViewLineage(Relation.OPAQUE, List.of("view " + key + " nests too deep or refers to itself"));
        }
        expanding.push(key);
        try {
            ViewLineage lineage = expand(view, key);
            views.put(key, lineage);
            return lineage;
        } finally {
            expanding.pop();
        }
    }

    private ViewLineage expand(CatalogTable view, String key) {
        if (view.viewDefinition().isBlank()) {
            return new ViewLineage(Relation.OPAQUE, List.of("definition of view " + key + " not visible"));
        }
        Optional<ParsedStatement> parsed = definitions.parse(view.viewDefinition());
        if (parsed.isEmpty() || !(parsed.get().statement() instanceof Select select)) {
            return new ViewLineage(Relation.OPAQUE, List.of("definition of view " + key + " not parsed"));
        }
        // the view's own filters were written by whoever defined it, not by the client: no uses are reported
        QueryLineage body = new QueryLineage(this, view.schema(), MaskedColumnUses.ignoring());
        Relation relation = body.query(select, LineageScope.root()).renamed(view.columns());
        List<String> gaps = new java.util.ArrayList<>(body.gaps());
        if (body.walkedSelectBlocks() < parsed.get().selectKeywords()) {
            gaps.add("a subquery was not analysed");
        }
        gaps.replaceAll(gap -> "view " + key + ": " + gap);
        return new ViewLineage(relation, gaps);
    }
}
