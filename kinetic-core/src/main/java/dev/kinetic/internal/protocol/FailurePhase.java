package dev.kinetic.internal.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.kinetic.KineticException;

/**
 * Where a job failed, as the agent and the task record it in the outcome and {@code JobFailedException.phase()}
 * reports it. Shared by writer and reader; an unknown name read from a store is a clear error.
 */
public enum FailurePhase {
    /** An artifact could not be downloaded from the store. */
    DOWNLOAD("download"),
    /** An artifact did not match its SHA-256. */
    VERIFY("verify"),
    /** Data the job reads could not be placed (a missing object, an unsafe name, a mount path in use). */
    DATA("data"),
    /** The call could not be deserialized in the task (a class missing from the classpath). */
    DESERIALIZE("deserialize"),
    /** The function threw, or the task process died or exited. */
    EXECUTE("execute"),
    /** The function returned a value that could not be serialized. */
    SERIALIZE_RESULT("serialize-result"),
    /** The agent itself failed, or the job died without an outcome. */
    AGENT("agent"),
    /**
     * The backend could not start the agent and gave up (an image that cannot be pulled, no node pool that fits, a
     * pod the cluster refuses to create); the agent never ran.
     */
    BACKEND("backend");

    private final String wireName;

    FailurePhase(String wireName) {
        this.wireName = wireName;
    }

    /** The name in outcome documents and messages. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The phase with this wire name.
     *
     * @throws KineticException naming the value when this version of Kinetic does not know it
     */
    @JsonCreator
    public static FailurePhase fromWire(String wireName) {
        for (FailurePhase p : values()) {
            if (p.wireName.equals(wireName)) {
                return p;
            }
        }
        throw new KineticException("unknown failure phase '" + wireName + "' in a job outcome; it was written by a "
                + "newer version of Kinetic (upgrade this one) or is damaged");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
