/**
 * Reviewing recorded sessions: who may (auditors, the admin key), the admin listener's sessions API and page, and
 * the audit trail of every playback (who watched which session, when, how).
 */
package dev.agentgate.review;
