package dev.agentgate.testing;

import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionEvent;
import java.time.Instant;

/** A registered session's control that is never busy and ignores close requests. */
public final class IdleSessionControl implements SessionControl {
    public static final SessionControl INSTANCE = new IdleSessionControl();

    private IdleSessionControl() {}

    @Override
    public void closeWhenIdle(String reason, SessionEvent.EndReason why) {}

    @Override
    public void closeNow(String reason, SessionEvent.EndReason why) {}

    @Override
    public void limitTo(Instant deadline, SessionEvent.EndReason why, String message) {}

    @Override
    public boolean isBusy() {
        return false;
    }
}
