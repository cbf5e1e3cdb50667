package dev.kinetic.internal.protocol;

import dev.kinetic.RemoteCallable;
import dev.kinetic.RemoteFunction;
import java.io.Serializable;

/**
 * The call itself, Java-serialized into {@code payload.bin} after the {@link PayloadFile} header: the function
 * and, for a one-argument function, its argument.
 */
public record CallPayload(Serializable function, Serializable argument, boolean hasArgument) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static CallPayload of(RemoteCallable<?> callable) {
        return new CallPayload(callable, null, false);
    }

    public static CallPayload of(RemoteFunction<?, ?> function, Object argument) {
        if (argument != null && !(argument instanceof Serializable)) {
            throw new IllegalArgumentException(
                    "argument of type " + argument.getClass().getName()
                            + " is not Serializable; make it implement java.io.Serializable (records can) or pass something that is");
        }
        return new CallPayload(function, (Serializable) argument, true);
    }

    /** Runs the call in this JVM. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object invoke() throws Exception {
        if (hasArgument) {
            return ((RemoteFunction) function).apply(argument);
        }
        return ((RemoteCallable<?>) function).call();
    }
}
