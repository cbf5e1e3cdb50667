package dev.kinetic.backend.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kinetic.KineticException;
import dev.kinetic.spi.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.Map;

/** Kubernetes objects in their JSON form, for what the SPI hands out (dry runs, set-up plans). */
final class Manifests {
    private Manifests() {}

    /** The object as the API server would receive it: fabric8's JSON, read back as plain maps and lists. */
    static Map<String, Object> asMap(HasMetadata object) {
        try {
            return Json.MAPPER.readValue(Serialization.asJson(object), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new KineticException(
                    "cannot render " + object.getKind() + " "
                            + object.getMetadata().getName() + " as JSON: " + e.getMessage(),
                    e);
        }
    }
}
