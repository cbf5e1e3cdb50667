package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;

/** Attaching to a batch by id, with the CLI's meaning for an unknown id. */
final class Batches {
    static final String HOW_TO_LIST = "list batches with `kinetic batches list`";

    private Batches() {}

    /**
     * The batch with this id.
     *
     * @throws BatchNotFoundException if the id is malformed or the store has no such batch (exit 3)
     */
    static BatchHandle<Object> attach(KineticSession kinetic, String id) {
        try {
            return kinetic.attachBatch(id);
        } catch (KineticException e) {
            // The core has no exception type of its own for this; its messages are the only signal.
            String message = String.valueOf(e.getMessage());
            if (message.contains("not a batch id") || message.contains("no batch")) {
                throw new BatchNotFoundException(
                        message.contains("kinetic batches list") ? message : message + "; " + HOW_TO_LIST, e);
            }
            throw e;
        }
    }
}
