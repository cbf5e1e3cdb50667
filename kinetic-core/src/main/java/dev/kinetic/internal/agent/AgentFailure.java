package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;

/** The agent could not prepare or run the task; carries the phase for the outcome. */
public final class AgentFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final FailurePhase phase;

    public AgentFailure(FailurePhase phase, String message) {
        super(message);
        this.phase = phase;
    }

    public AgentFailure(FailurePhase phase, String message, Throwable cause) {
        super(message, cause);
        this.phase = phase;
    }

    /** Where it failed: the phase its outcome names. */
    public FailurePhase phase() {
        return phase;
    }
}
