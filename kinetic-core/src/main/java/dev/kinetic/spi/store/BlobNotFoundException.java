package dev.kinetic.spi.store;

/** No object exists at the key that was read. */
public class BlobNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public BlobNotFoundException(String storeUri, String key) {
        super("no object " + key + " in store " + storeUri);
        this.key = key;
    }

    /** The key that was missing. */
    public String key() {
        return key;
    }
}
