package dev.kinetic.agent;

/** Facts about the machine a process runs on. */
public final class AgentInfo {
    private AgentInfo() {}

    public static String hostName() {
        return Agent.hostName();
    }
}
