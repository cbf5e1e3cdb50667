package dev.kinetic.internal.store;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreContractTest;

/** The directory store against the shared {@link BlobStoreContractTest}, in a fresh directory per test. */
class DirectoryBlobStoreContractTest extends BlobStoreContractTest {

    @Override
    protected BlobStore newStore() {
        return new DirectoryBlobStore(tempDir.resolve("store"));
    }
}
