package dev.agentgate.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to the admin listener, independent of the HTTP library that received it.
 *
 * @param path the decoded-free request path (no query)
 * @param query the raw query string, empty when there is none
 * @param headers by lower-case name (the last value wins)
 * @param body the raw body bytes (Slack signs them exactly as sent)
 * @param clientAddress where the request came from, for the approval history
 */
public record AdminRequest(
        String method, String path, String query, Map<String, String> headers, byte[] body, String clientAddress) {

    public AdminRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Objects.requireNonNullElse(query, "");
        Map<String, String> lowered = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowered.put(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lowered);
        body = body == null ? new byte[0] : body;
    }

    /** Splits a request target into path and query. */
    public static AdminRequest of(
            String method, String uri, Map<String, String> headers, byte[] body, String clientAddress) {
        int mark = uri.indexOf('?');
        return new AdminRequest(
                method,
                mark < 0 ? uri : uri.substring(0, mark),
                mark < 0 ? "" : uri.substring(mark + 1),
                headers,
                body,
                clientAddress);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The query's parameters, decoded. */
    public Map<String, String> queryParameters() {
        return formFields(query);
    }

    /** The body as an {@code application/x-www-form-urlencoded} form. */
    public Map<String, String> form() {
        return formFields(new String(body, StandardCharsets.UTF_8));
    }

    /** The value of cookie {@code name}, if the request carries it. */
    public Optional<String> cookie(String name) {
        for (String pair : header("cookie").orElse("").split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                return Optional.of(pair.substring(eq + 1).strip());
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> formFields(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                fields.putIfAbsent(
                        URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // A broken escape makes the field unreadable; it is treated as absent and the handler refuses.
            }
        }
        return fields;
    }
}
