/**
 * Masking strategies: how one clear value becomes its masked form. No Netty here; the data path that applies a
 * {@link dev.agentgate.enforcement.masking.MaskPlan} to result set rows is
 * {@code dev.agentgate.transport.masking.ResultSetMasker}.
 */
package dev.agentgate.enforcement.masking;
