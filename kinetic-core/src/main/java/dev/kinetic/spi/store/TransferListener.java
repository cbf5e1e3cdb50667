package dev.kinetic.spi.store;

/**
 * Progress of one upload or download. The library reports, the CLI draws. Implementations must be cheap:
 * {@link #progressed} is called once per buffer.
 */
public interface TransferListener {

    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {};

    /** A transfer of {@code totalBytes} (or -1 when unknown) begins. */
    default void started(String key, long totalBytes) {}

    /** {@code doneBytes} of {@code totalBytes} have been moved. */
    default void progressed(String key, long doneBytes, long totalBytes) {}

    /** The transfer completed. */
    default void finished(String key, long totalBytes) {}
}
