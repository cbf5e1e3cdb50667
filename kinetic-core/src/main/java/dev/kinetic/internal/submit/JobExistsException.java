package dev.kinetic.internal.submit;

import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;

/** A job with this id already exists: ids are random, so this means a resubmission of the same batch input. */
public final class JobExistsException extends KineticException {
    private static final long serialVersionUID = 1L;

    JobExistsException(JobId id, String store) {
        super(id.value(), "a job with id " + id + " already exists in " + store + "; submit again for a new id", null);
    }
}
