package dev.agentgate.recording;

import java.util.List;

/**
 * What {@link RecordingVerifier} found in one session's recording.
 *
 * @param records records that were checked
 * @param problems what shows the recording was changed, cut or is incomplete; none for a recording intact
 * @param notes what is worth knowing but is no sign of tampering (a crash the gateway recovered from)
 */
public record VerifyReport(String sessionId, int segments, long records, List<Finding> problems, List<Finding> notes) {

    /**
     * @param segment the segment's number (0 for the recording as a whole)
     * @param record the record's number, 0 when the finding is not about one record
     */
    public record Finding(int segment, long record, String what) {
        @Override
        public String toString() {
            String where = segment == 0 ? "" : "segment " + segment + (record > 0 ? ", record " + record : "") + ": ";
            return where + what;
        }
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
