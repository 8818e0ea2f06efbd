package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/** The facts of every statement in one piece of SQL text, in order (several for a multi-statement query). */
public record Analysis(List<StatementFacts> statements) {

    public Analysis {
        statements = List.copyOf(Objects.requireNonNull(statements, "statements must not be null"));
    }

    @JsonIgnore
    public boolean isMultiStatement() {
        return statements.size() > 1;
    }

    /** True when every statement was fully parsed. */
    @JsonIgnore
    public boolean allParsed() {
        return statements.stream().allMatch(StatementFacts::parsed);
    }
}
