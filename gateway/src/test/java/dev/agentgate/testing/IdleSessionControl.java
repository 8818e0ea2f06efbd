package dev.agentgate.testing;

import dev.agentgate.session.SessionControl;

/** A registered session's control that is never busy and ignores close requests. */
public final class IdleSessionControl implements SessionControl {
    public static final SessionControl INSTANCE = new IdleSessionControl();

    private IdleSessionControl() {}

    @Override
    public void closeWhenIdle(String reason) {}

    @Override
    public void closeNow(String reason) {}

    @Override
    public boolean isBusy() {
        return false;
    }
}
