package dev.kinetic.store;

/** The directory store against the shared {@link BlobStoreContractTest}, in a fresh directory per test. */
class DirectoryBlobStoreContractTest extends BlobStoreContractTest {

    @Override
    protected BlobStore newStore() {
        return new DirectoryBlobStore(tempDir.resolve("store"));
    }
}
