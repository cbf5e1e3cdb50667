package dev.kinetic.internal.agent;

import java.io.IOException;
import java.net.InetAddress;

/** Facts about the machine a submitter or agent runs on. */
public final class AgentInfo {
    private AgentInfo() {}

    /** This machine's host name, or {@code unknown}. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
