package dev.kinetic.internal.local;

import dev.kinetic.spi.BackendContractTest;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;

/** The local backend (detached agent and task processes) against the backend contract. */
class LocalBackendContractTest extends BackendContractTest {
    @Override
    protected TestKinetic kinetic(Path root) throws Exception {
        return new TestKinetic(root);
    }
}
