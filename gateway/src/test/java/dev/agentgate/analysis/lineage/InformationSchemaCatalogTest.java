package dev.agentgate.analysis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InformationSchemaCatalogTest {

    private final List<String> queries = new ArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private final SqlExecutor executor = (sql, parameters) -> {
        queries.add(sql + " " + parameters);
        if (failing.get()) {
            throw new IllegalStateException("backend down");
        }
        if (sql.equals(InformationSchemaCatalog.COLUMNS_QUERY)) {
            return List.of(List.of("customers", "id"), List.of("customers", "ssn"), List.of("v", "x"));
        }
        return List.of(java.util.Arrays.asList("v", "select `ssn` AS `x` from `customers`"));
    };

    private InformationSchemaCatalog catalog() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new InformationSchemaCatalog(executor, Duration.ofMinutes(1), clock);
    }

    @Test
    void loadsASchemaOnceWithTwoQueries() {
        InformationSchemaCatalog catalog = catalog();
        assertThat(catalog.table("shop", "customers"))
                .hasValueSatisfying(table -> assertThat(table.columns()).containsExactly("id", "ssn"));
        assertThat(catalog.table("shop", "v"))
                .hasValueSatisfying(view -> assertThat(view.isView()).isTrue());
        assertThat(queries).hasSize(2);
    }

    @Test
    void reloadsAfterInvalidation() {
        InformationSchemaCatalog catalog = catalog();
        catalog.table("shop", "customers");
        catalog.invalidate("SHOP");
        catalog.table("shop", "customers");
        assertThat(queries).hasSize(4);
    }

    @Test
    void reloadsWhenTheSnapshotIsOlderThanTheMaximumAge() {
        InformationSchemaCatalog catalog = catalog();
        catalog.table("shop", "customers");
        now = now.plus(Duration.ofSeconds(61));
        catalog.table("shop", "customers");
        assertThat(queries).hasSize(4);
    }

    @Test
    void answersNotFoundAndCachesNothingWhenLoadingFails() {
        InformationSchemaCatalog catalog = catalog();
        failing.set(true);
        assertThat(catalog.table("shop", "customers")).isEmpty();
        failing.set(false);
        assertThat(catalog.table("shop", "customers")).isPresent();
    }

    @Test
    void forgetsEverySchemaOnInvalidateAll() {
        InformationSchemaCatalog catalog = catalog();
        catalog.table("shop", "customers");
        catalog.table("crm", "customers");
        catalog.invalidateAll();
        catalog.table("shop", "customers");
        assertThat(queries).hasSize(6);
    }
}
