package dev.agentgate.approval;

/**
 * A held statement's request expired while the state database could not be reached: nobody can say whether it was
 * decided, so the statement is refused, saying so.
 */
final class ExpiredUnrecorded extends RuntimeException {

    private final transient ApprovalRequest request;

    ExpiredUnrecorded(ApprovalRequest request, Throwable stateFailure) {
        super("request " + request.id() + " expired while the state database could not be reached", stateFailure);
        this.request = request;
    }

    ApprovalRequest request() {
        return request;
    }
}
