package dev.kinetic.store.s3;

import org.apache.catalina.connector.Connector;

/**
 * Loaded into the S3Mock process (not the tests' JVM) by {@link S3MockServer}: binds S3Mock's extra plain-HTTP
 * connector to 127.0.0.1. S3Mock creates that connector without an address, so it would otherwise listen on every
 * interface; {@code server.address} only reaches the main connector. Spring instantiates this class as a bean (it
 * is passed in {@code spring.main.sources}) with S3Mock's {@code httpConnector} bean, after Tomcat has initialized
 * the connector but before it binds its port.
 */
public final class S3MockLoopbackConnector {

    public S3MockLoopbackConnector(Connector httpConnector) {
        if (!httpConnector.setProperty("address", "127.0.0.1")) {
            throw new IllegalStateException("could not bind S3Mock's HTTP connector to 127.0.0.1");
        }
    }
}
