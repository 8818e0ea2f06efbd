package dev.agentgate.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentgate.admin.AdminResponse;
import java.io.UncheckedIOException;
import java.util.Map;

/** The review routes' JSON answers: documents in snake case, errors as {@code {"error": "..."}}. */
final class ReviewJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ReviewJson() {}

    static AdminResponse ok(Object document) {
        return AdminResponse.json(200, write(document));
    }

    static AdminResponse error(int status, String message) {
        return AdminResponse.json(status, write(Map.of("error", message)));
    }

    static AdminResponse notAllowed(String allowed) {
        return new AdminResponse(
                405,
                AdminResponse.JSON,
                write(Map.of("error", "only " + allowed + " is allowed")),
                Map.of("Allow", allowed));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write review JSON", e);
        }
    }
}
