package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a pod may run and what it reserves, derived from the accelerator catalog entry: GKE node selectors,
 * the tolerations for the taints GKE puts on accelerator and spot nodes, and resource requests and limits.
 *
 * @param nodeSelector node labels the pod requires
 * @param tolerations taints the pod tolerates
 * @param requests resource requests
 * @param limits resource limits
 */
record PodPlacement(
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Map<String, Quantity> requests,
        Map<String, Quantity> limits) {

    static final String GKE_ACCELERATOR = "cloud.google.com/gke-accelerator";
    static final String GKE_TPU_ACCELERATOR = "cloud.google.com/gke-tpu-accelerator";
    static final String GKE_TPU_TOPOLOGY = "cloud.google.com/gke-tpu-topology";
    static final String GKE_SPOT = "cloud.google.com/gke-spot";
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    static final String TPU_RESOURCE = "google.com/tpu";

    PodPlacement {
        // Insertion order is kept (Map.copyOf's order changes from run to run), so specs are stable.
        nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
        tolerations = List.copyOf(tolerations);
        requests = Collections.unmodifiableMap(new LinkedHashMap<>(requests));
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /**
     * The placement for an accelerator. Every pod gets cpu and memory requests ({@link PodResources}: accelerator
     * pods most of their node, sized from the machine shape). Memory is also the limit, so running out of it is a
     * clear OOMKilled rather than an eviction of whatever else runs on the node; CPU has no limit, so a job is never
     * throttled below what the node has free.
     */
    static PodPlacement of(Accelerator accelerator, String cpu, String memory) {
        Map<String, String> selector = new LinkedHashMap<>();
        List<Toleration> tolerations = new ArrayList<>();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        switch (accelerator.kind()) {
            case "gpu" -> {
                selector.put(GKE_ACCELERATOR, accelerator.gkeAccelerator());
                tolerations.add(exists(GPU_RESOURCE));
                limits.put(GPU_RESOURCE, new Quantity(String.valueOf(accelerator.count())));
            }
            case "tpu" -> {
                selector.put(GKE_TPU_ACCELERATOR, accelerator.gkeAccelerator());
                selector.put(GKE_TPU_TOPOLOGY, accelerator.topology());
                tolerations.add(exists(TPU_RESOURCE));
                // Each host's pod takes every chip of its host: all of a single-host slice, chips / hosts of a
                // multi-host one (4 of tpu-v5e-16's 16).
                Quantity chips = new Quantity(String.valueOf(accelerator.devicesPerPod()));
                requests.put(TPU_RESOURCE, chips);
                limits.put(TPU_RESOURCE, chips);
            }
            default -> {
                // CPU jobs: no selector, no accelerator resource
            }
        }
        PodResources.Requests sized = PodResources.of(accelerator, cpu, memory);
        requests.put("cpu", sized.cpu());
        requests.put("memory", sized.memory());
        limits.put("memory", sized.memory());
        if (accelerator.spot()) {
            selector.put(GKE_SPOT, "true");
            tolerations.add(new TolerationBuilder()
                    .withKey(GKE_SPOT)
                    .withOperator("Equal")
                    .withValue("true")
                    .withEffect("NoSchedule")
                    .build());
        }
        return new PodPlacement(selector, tolerations, requests, limits);
    }

    private static Toleration exists(String key) {
        return new TolerationBuilder()
                .withKey(key)
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build();
    }
}
