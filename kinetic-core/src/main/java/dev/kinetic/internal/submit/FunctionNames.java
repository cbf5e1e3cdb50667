package dev.kinetic.internal.submit;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/** Derives a short, human name for a function from its lambda or class, e.g. {@code train-model}. */
public final class FunctionNames {
    private FunctionNames() {}

    /** The defining class and a short name. */
    public record Name(String shortName, String definingClass) {}

    public static Name of(Object function) {
        SerializedLambda lambda = serializedLambda(function);
        if (lambda != null) {
            String cls = lambda.getImplClass().replace('/', '.');
            String method = lambda.getImplMethodName();
            String name = method;
            if (method.startsWith("lambda$")) {
                String[] parts = method.split("\\$");
                name = parts.length > 1 ? parts[1] : "lambda";
                if (name.equals("main") || name.equals("static") || name.equals("new") || name.isEmpty()) {
                    name = simpleName(cls);
                }
            }
            return new Name(kebab(name), cls);
        }
        return new Name(
                kebab(simpleName(function.getClass().getName())),
                function.getClass().getName());
    }

    private static SerializedLambda serializedLambda(Object function) {
        try {
            Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(function);
            return replaced instanceof SerializedLambda l ? l : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String simpleName(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        int dollar = s.indexOf('$');
        return dollar > 0 ? s.substring(0, dollar) : s;
    }

    /** {@code trainModel} → {@code train-model}. */
    static String kebab(String s) {
        return s.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("[^A-Za-z0-9]+", "-")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("^-+|-+$", "");
    }
}
