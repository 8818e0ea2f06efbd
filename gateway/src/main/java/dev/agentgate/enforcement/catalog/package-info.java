/**
 * The catalogs (tables, columns, view definitions) the column lineage resolves names against, one per target,
 * read over a JDBC connection of the target's service account. Blocking: used from analysis threads only.
 */
package dev.agentgate.enforcement.catalog;
