package dev.agentgate.recording;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of recordings: records are hashed as the bytes it writes, so there is one way to write. */
final class RecordJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {}
}
