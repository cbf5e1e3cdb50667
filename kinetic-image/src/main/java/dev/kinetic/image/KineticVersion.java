package dev.kinetic.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the kinetic-core on this classpath, from the {@code pom.properties} Maven puts in its jar. */
final class KineticVersion {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.kinetic/kinetic-core/pom.properties";

    private KineticVersion() {}

    /** The version, or {@code dev} when the core runs from a class directory (a development build). */
    static String current() {
        Class<?> core;
        try {
            core = Class.forName(ImageLayout.AGENT_MAIN_CLASS, false, KineticVersion.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "dev";
        }
        try (InputStream in = core.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
