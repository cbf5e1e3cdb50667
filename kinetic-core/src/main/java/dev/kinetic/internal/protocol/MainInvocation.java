package dev.kinetic.internal.protocol;

import dev.kinetic.RemoteCallable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Runs a class's {@code public static void main(String[])} as a job, as {@code kinetic submit --main} does.
 * The class is looked up in the task JVM, on the job's classpath.
 */
public record MainInvocation(String mainClass, List<String> args) implements RemoteCallable<Void> {
    private static final long serialVersionUID = 1L;

    public MainInvocation {
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("a main class is required, e.g. --main com.example.Train");
        }
        args = List.copyOf(args);
    }

    @Override
    public Void call() throws Exception {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(mainClass, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("main class " + mainClass + " is not on the job's classpath", e);
        }
        Method main = type.getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new NoSuchMethodException(mainClass + ".main(String[]) is not static");
        }
        try {
            main.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
        return null;
    }
}
