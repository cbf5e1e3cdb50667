package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.accelerator.Accelerator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The node labels GKE gives an accelerator's nodes, and the node pool that would have them. */
final class NodeLabels {
    private NodeLabels() {}

    /** The labels a node must carry for the accelerator (spot aside): what the pod's node selector asks for. */
    static Map<String, String> selector(Accelerator a) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (a.kind().equals("gpu")) {
            labels.put(PodPlacement.GKE_ACCELERATOR, a.gkeAccelerator());
        } else if (a.kind().equals("tpu")) {
            labels.put(PodPlacement.GKE_TPU_ACCELERATOR, a.gkeAccelerator());
            labels.put(PodPlacement.GKE_TPU_TOPOLOGY, a.topology());
        }
        return labels;
    }

    static String selectorText(Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        labels.forEach((k, v) ->
                out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    /** The gcloud command that adds a node pool for the accelerator (autoscaled from zero). */
    static String createPoolCommand(Accelerator a) {
        String pool = "kinetic-" + a.idPart();
        String machine =
                a.machine() == null ? "" : " --machine-type " + a.machine().type();
        String common = "gcloud container node-pools create " + pool + " --cluster CLUSTER --location LOCATION"
                + machine + (a.spot() ? " --spot" : "");
        if (a.kind().equals("gpu")) {
            return common + " --accelerator type=" + a.gkeAccelerator() + ",count=" + a.count()
                    + ",gpu-driver-version=default --enable-autoscaling --min-nodes 0 --max-nodes 4 --num-nodes 0";
        }
        return common
                + (a.hosts() > 1 ? " --tpu-topology " + a.topology() + " --num-nodes " + a.hosts() : " --num-nodes 1");
    }
}
