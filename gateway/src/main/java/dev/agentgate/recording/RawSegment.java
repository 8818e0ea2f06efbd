package dev.agentgate.recording;

import java.util.List;

/**
 * One segment as stored, before any check: its number (from its name) and its lines.
 *
 * @param cutShort whether the file ended in the middle of its compressed stream or of a line
 */
public record RawSegment(int number, String name, List<byte[]> lines, boolean cutShort) {}
