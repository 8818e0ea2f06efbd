package dev.agentgate.admin;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of events the gateway has no other record of, for {@code /metrics}. The transport bumps
 * them from its event loops; {@link LongAdder} keeps that contention-free. Thread-safe.
 */
public final class GatewayCounters {
    private final LongAdder connectionsRefusedAtMax = new LongAdder();
    private final LongAdder loginsAccepted = new LongAdder();
    private final LongAdder loginsRefused = new LongAdder();
    private final LongAdder staleIssuerKeysServed = new LongAdder();
    private final LongAdder connectionsRefusedAtHandshakeLimit = new LongAdder();
    private final LongAdder valuesMasked = new LongAdder();
    private final LongAdder configReloadsApplied = new LongAdder();
    private final LongAdder configReloadsRefused = new LongAdder();

    /** A configuration reload was applied ({@code true}) or refused, the running configuration kept. */
    public void configReloaded(boolean applied) {
        (applied ? configReloadsApplied : configReloadsRefused).increment();
    }

    public long configReloads(boolean applied) {
        return (applied ? configReloadsApplied : configReloadsRefused).sum();
    }

    /** {@code count} values of masked columns were sent to a client in their masked form. */
    public void valuesMasked(long count) {
        valuesMasked.add(count);
    }

    public long valuesMaskedCount() {
        return valuesMasked.sum();
    }

    /** A client was turned away because {@code listen.max_connections} was reached. */
    public void connectionRefusedAtMax() {
        connectionsRefusedAtMax.increment();
    }

    /** A client completed the login: token accepted and backend session established. */
    public void loginAccepted() {
        loginsAccepted.increment();
    }

    /** A client was denied access (bad or missing token, unknown target, rate limited). */
    public void loginRefused() {
        loginsRefused.increment();
    }

    /** A client was turned away because {@code listen.max_handshakes} or its per-address limit was reached. */
    public void connectionRefusedAtHandshakeLimit() {
        connectionsRefusedAtHandshakeLimit.increment();
    }

    public long connectionsRefusedAtHandshakeLimit() {
        return connectionsRefusedAtHandshakeLimit.sum();
    }

    /** An issuer's JWKS could not be fetched and its last known keys were used instead. */
    public void staleIssuerKeysServed() {
        staleIssuerKeysServed.increment();
    }

    public long staleIssuerKeysServedCount() {
        return staleIssuerKeysServed.sum();
    }

    public long connectionsRefusedAtMax() {
        return connectionsRefusedAtMax.sum();
    }

    public long loginsAccepted() {
        return loginsAccepted.sum();
    }

    public long loginsRefused() {
        return loginsRefused.sum();
    }
}
