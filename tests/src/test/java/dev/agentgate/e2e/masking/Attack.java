package dev.agentgate.e2e.masking;

import java.util.List;

/** One attempt to read PII: statements an agent sends on one connection, in order. */
record Attack(String name, List<String> statements) {

    static Attack of(String name, String... statements) {
        return new Attack(name, List.of(statements));
    }

    @Override
    public String toString() {
        return name;
    }
}
