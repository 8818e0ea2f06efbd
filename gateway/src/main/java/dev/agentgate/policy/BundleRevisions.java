package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy revision an OPA answer names in its {@code provenance} (asked for with {@code ?provenance=true}): the
 * revision of its one bundle, or {@code name=revision} of each bundle, by name, when it serves several. Null when the
 * answer names none (policy files loaded without a bundle, or a bundle without a revision).
 */
final class BundleRevisions {

    private BundleRevisions() {}

    static String of(JsonNode answer) {
        JsonNode provenance = answer.path("provenance");
        String legacy = provenance.path("revision").textValue();
        if (legacy != null && !legacy.isEmpty()) {
            return legacy;
        }
        Map<String, String> revisions = new TreeMap<>();
        provenance.path("bundles").fields().forEachRemaining(bundle -> {
            String revision = bundle.getValue().path("revision").textValue();
            if (revision != null && !revision.isEmpty()) {
                revisions.put(bundle.getKey(), revision);
            }
        });
        if (revisions.isEmpty()) {
            return null;
        }
        if (revisions.size() == 1) {
            return revisions.values().iterator().next();
        }
        StringBuilder named = new StringBuilder();
        revisions.forEach((name, revision) -> named.append(named.length() == 0 ? "" : ",")
                .append(name)
                .append('=')
                .append(revision));
        return named.toString();
    }
}
