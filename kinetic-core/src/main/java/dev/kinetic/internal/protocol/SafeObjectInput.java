package dev.kinetic.internal.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.List;

/**
 * Java deserialization with a JEP 290 filter. Everything Kinetic deserializes has had its SHA-256 checked
 * first; the filter is the second line: it bounds depth, references and array sizes, and refuses the classes
 * that known deserialization gadget chains are built from. Classes resolve through the given loader, so the
 * task JVM sees the user's classes.
 *
 * <p>Uses only the JDK: the task JVM runs it with the user's classpath, which may not hold Jackson.
 */
public final class SafeObjectInput extends ObjectInputStream {

    /** Package and class prefixes that no job payload or result legitimately contains. */
    private static final List<String> REFUSED = List.of(
            "org.apache.commons.collections.functors.",
            "org.apache.commons.collections4.functors.",
            "org.apache.commons.beanutils.",
            "org.codehaus.groovy.runtime.",
            "groovy.lang.",
            "org.springframework.beans.factory.",
            "org.springframework.aop.",
            "com.sun.org.apache.xalan.",
            "org.apache.xalan.",
            "com.sun.rowset.",
            "com.sun.jndi.",
            "javax.management.",
            "java.rmi.",
            "sun.rmi.",
            "javax.naming.",
            "com.mchange.v2.c3p0.",
            "bsh.",
            "org.mozilla.javascript.",
            "clojure.",
            "org.python.",
            "com.alibaba.fastjson.",
            "net.sf.json.",
            "org.hibernate.engine.",
            "java.beans.EventHandler",
            "javax.script.",
            "jdk.jshell.",
            "sun.misc.",
            "jdk.internal.");

    private static final long MAX_DEPTH = 512;
    private static final long MAX_REFS = 50_000_000;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final ClassLoader loader;

    public SafeObjectInput(InputStream in, ClassLoader loader) throws IOException {
        super(in);
        this.loader = loader;
        setObjectInputFilter(SafeObjectInput::check);
    }

    /** Reads one object from {@code data} with the filter and {@code loader}. */
    public static Object read(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (SafeObjectInput in = new SafeObjectInput(new ByteArrayInputStream(data), loader)) {
            return in.readObject();
        }
    }

    static ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFS || info.arrayLength() > MAX_ARRAY) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        while (type != null && type.isArray()) {
            type = type.getComponentType();
        }
        if (type != null) {
            String name = type.getName();
            for (String refused : REFUSED) {
                if (name.startsWith(refused)) {
                    return ObjectInputFilter.Status.REJECTED;
                }
            }
        }
        return ObjectInputFilter.Status.UNDECIDED;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
            return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
            return super.resolveClass(desc);
        }
    }

    /** Whether an exception from {@link #readObject} means the filter refused a class. */
    public static boolean isRefusal(Exception e) {
        return e instanceof InvalidClassException
                && String.valueOf(e.getMessage()).contains("REJECTED");
    }
}
