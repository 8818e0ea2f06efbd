package dev.agentgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The extra claims of a dev token ({@code --claim}, {@code --claim-json}), shared by {@code dev token} and {@code dev sso}. */
final class DevClaimOptions {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Extra claim; repeatable.")
    private Map<String, String> claims = new LinkedHashMap<>();

    @Option(names = "--claim-json", paramLabel = "NAME=JSON", description = "Extra claim given as JSON; repeatable.")
    private Map<String, String> jsonClaims = new LinkedHashMap<>();

    /** All extra claims: --claim values as scalars, --claim-json values parsed; a name given twice is refused. */
    Map<String, Object> claims() {
        Map<String, Object> all = new LinkedHashMap<>();
        claims.forEach((name, value) -> all.put(name, scalar(value)));
        jsonClaims.forEach((name, json) -> {
            if (all.containsKey(name)) {
                throw new ParameterException(spec.commandLine(), "claim '" + name + "' is given twice");
            }
            all.put(name, parseJson(name, json));
        });
        return all;
    }

    /** true/false and numbers become JSON booleans and numbers; anything else (e.g. "007") stays a string. */
    static Object scalar(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (INTEGER.matcher(value).matches()) {
            return Long.valueOf(value);
        }
        if (DECIMAL.matcher(value).matches()) {
            return Double.valueOf(value);
        }
        return value;
    }

    private Object parseJson(String name, String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new ParameterException(
                    spec.commandLine(), "--claim-json " + name + ": not JSON: " + e.getOriginalMessage());
        }
    }
}
