package dev.agentgate.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who a client is, as established by a verified token.
 *
 * @param issuer the token's {@code iss}
 * @param subject the token's {@code sub}
 * @param claims every verified claim in JSON form (numeric dates are epoch seconds), deeply immutable
 * @param expiresAt when the token, and so this identity, expires
 */
public record Identity(String issuer, String subject, Map<String, Object> claims, Instant expiresAt) {

    public Identity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = freezeMap(Objects.requireNonNull(claims, "claims"));
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), freeze(value)));
        return Collections.unmodifiableMap(copy);
    }

    // Claims come from parsed JSON, so nested values are maps and lists; copying them keeps the
    // record immutable.
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(freeze(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
