package dev.agentgate.enforcement.catalog;

import dev.agentgate.analysis.lineage.Catalog;
import java.util.Optional;
import java.util.Set;

/** The catalog of each target, and forgetting what is cached of it after DDL. Thread-safe. */
public interface TargetCatalogs {

  /** Knows no table: every column comes out unknown, so under masking everything is masked. */
  TargetCatalogs NONE = fixed((schema, name) -> Optional.empty());

  /** The catalog of {@code target}; for a target it does not know, one that finds no table. */
  Catalog of(String target);

  /**
   * Forgets what is cached of {@code schemas} of {@code target} (every schema when the set is empty), because a
   * statement changes or may have changed them.
   */
  void invalidate(String target, Set<String> schemas);

  /** The same catalog for every target, never invalidated (tests, fixed schemas). */
  static TargetCatalogs fixed(Catalog catalog) {
    return new TargetCatalogs() {
      @Override
      public Catalog of(String target) {
        return catalog;
      }

      @Override
      public void invalidate(String target, Set<String> schemas) {}
    };
  }
}
