package dev.agentgate.session;

import java.util.concurrent.atomic.AtomicInteger;

/** Where the {@link SessionRegistry} takes the connection id each client is greeted with from. Thread-safe. */
@FunctionalInterface
public interface ConnectionIds {

    /** The next id, from {@link SessionRegistry#FIRST_CONNECTION_ID} up and never above 2^31 - 1. */
    int next();

    /**
     * Counting up from {@link SessionRegistry#FIRST_CONNECTION_ID}: unique within the process, which is all a single
     * gateway needs. Ids wrap before reaching 2^31 so that every client can store them in a signed int.
     */
    static ConnectionIds counting() {
        AtomicInteger next = new AtomicInteger(SessionRegistry.FIRST_CONNECTION_ID);
        return () -> next.getAndUpdate(id -> id == Integer.MAX_VALUE ? SessionRegistry.FIRST_CONNECTION_ID : id + 1);
    }
}
