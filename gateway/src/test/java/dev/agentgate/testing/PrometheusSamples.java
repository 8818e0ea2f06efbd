package dev.agentgate.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition, by name with labels exactly as written (e.g. {@code
 * agentgate_statements_total{action="mask"}}), so tests assert values rather than number formatting.
 */
public final class PrometheusSamples {

    private PrometheusSamples() {}

    public static Map<String, Double> parse(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.valueOf(line.substring(space + 1)));
        }
        return samples;
    }
}
