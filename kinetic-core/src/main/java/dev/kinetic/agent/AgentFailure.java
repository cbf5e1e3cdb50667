package dev.kinetic.agent;

/** The agent could not prepare or run the task; carries the phase for the outcome. */
final class AgentFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String phase;

    AgentFailure(String phase, String message) {
        super(message);
        this.phase = phase;
    }

    AgentFailure(String phase, String message, Throwable cause) {
        super(message, cause);
        this.phase = phase;
    }
}
