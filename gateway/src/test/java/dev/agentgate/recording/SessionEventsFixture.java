package dev.agentgate.recording;

import dev.agentgate.identity.Identity;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionFacts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A session's events as the relay emits them, made by hand: a start, statements with responses, an end. */
final class SessionEventsFixture {

    private final SessionEvents sink;
    private final String sessionId;
    private long commandNo;

    SessionEventsFixture(SessionEvents sink, String sessionId) {
        this.sink = sink;
        this.sessionId = sessionId;
    }

    SessionEventsFixture start(String subject) {
        Instant now = Instant.now();
        SessionFacts facts = new SessionFacts(
                7, sessionId, "shop", "shop", "127.0.0.1:5000", false, "test", Map.of(), now, now.plusSeconds(600));
        sink.on(new SessionEvent.Started(
                sessionId,
                now,
                new Identity("https://issuer.test", subject, Map.of("sub", subject), now.plusSeconds(600)),
                facts,
                null,
                null,
                "gw1"));
        return this;
    }

    /** A COM_QUERY answered with {@code packets}, completed ok. */
    SessionEventsFixture query(String sql, List<byte[]> packets) {
        return query(sql, packets, ResponseBudget.Cut.NONE);
    }

    /** A COM_QUERY answered with {@code packets} and more the session cut ({@code cut}), completed ok. */
    SessionEventsFixture query(String sql, List<byte[]> packets, ResponseBudget.Cut cut) {
        long no = ++commandNo;
        sink.on(new SessionEvent.CommandReceived(sessionId, Instant.now(), no, "COM_QUERY", sql, List.of()));
        long bytes = 0;
        for (byte[] packet : packets) {
            sink.on(new SessionEvent.ResponsePacket(sessionId, Instant.now(), no, ByteBuffer.wrap(packet)));
            bytes += packet.length;
        }
        sink.on(new SessionEvent.CommandCompleted(
                sessionId, Instant.now(), no, "ok", 0, 0, 0, null, 0, bytes, Duration.ofMillis(1), cut));
        return this;
    }

    /** A COM_QUERY the policy sent for approval, which {@code approvers} approved as {@code requestId}; then ok. */
    SessionEventsFixture approvedQuery(String sql, String requestId, List<String> approvers) {
        long no = ++commandNo;
        sink.on(new SessionEvent.CommandReceived(sessionId, Instant.now(), no, "COM_QUERY", sql, List.of()));
        sink.on(new SessionEvent.CommandDecided(
                sessionId,
                Instant.now(),
                no,
                "require_approval",
                "test: a person approves this",
                List.of(),
                List.of(),
                List::of));
        sink.on(new SessionEvent.ApprovalResolved(sessionId, Instant.now(), no, requestId, "approved", approvers));
        sink.on(new SessionEvent.ResponsePacket(sessionId, Instant.now(), no, ByteBuffer.wrap(new byte[] {0, 0, 0})));
        sink.on(new SessionEvent.CommandCompleted(
                sessionId,
                Instant.now(),
                no,
                "ok",
                0,
                0,
                0,
                null,
                0,
                3,
                Duration.ofMillis(1),
                ResponseBudget.Cut.NONE));
        return this;
    }

    SessionEventsFixture query(String sql) {
        return query(sql, List.of(("ok " + sql).getBytes(StandardCharsets.UTF_8)));
    }

    void end() {
        sink.on(new SessionEvent.Ended(sessionId, Instant.now(), SessionEvent.EndReason.CLIENT_QUIT, null));
    }
}
