package dev.kinetic.backend.kubernetes.testnode;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a Kubernetes object against Kubernetes' own OpenAPI schema (release 1.32), with a validator this project did
 * not write: the official Java client's models, generated from that schema. Their {@code validateJsonElement} refuses
 * a field the schema does not define (at any depth), a missing required field and an object where a value belongs;
 * reading the object into the model then refuses a value of the wrong type (a string where an integer belongs). The
 * API server itself would refuse the same objects (kubectl's strict field validation, the server's type checks).
 * <pre>{@code
 * List<String> problems = KubernetesSchema.problems(Serialization.asJson(job));   // empty when valid
 * }</pre>
 */
public final class KubernetesSchema {
    /** The Kubernetes release whose OpenAPI the models come from (client-java-api 24.0.0). */
    public static final String RELEASE = "1.32";

    private KubernetesSchema() {}

    /** What is wrong with the object or, for a {@code List} (as {@code kubectl} prints), with each item. */
    public static List<String> problems(String json) {
        JsonElement element = JsonParser.parseString(json);
        List<String> out = new ArrayList<>();
        if (!element.isJsonObject()) {
            out.add("not a JSON object: " + json);
            return out;
        }
        String kind = element.getAsJsonObject().has("kind")
                ? element.getAsJsonObject().get("kind").getAsString()
                : "";
        if (kind.equals("List")) {
            for (JsonElement item : element.getAsJsonObject().getAsJsonArray("items")) {
                out.addAll(problems(item.toString()));
            }
            return out;
        }
        Class<?> model = switch (kind) {
            case "Job" -> V1Job.class;
            case "Service" -> V1Service.class;
            case "Secret" -> V1Secret.class;
            case "ServiceAccount" -> V1ServiceAccount.class;
            case "Namespace" -> V1Namespace.class;
            case "Role" -> V1Role.class;
            case "RoleBinding" -> V1RoleBinding.class;
            default -> null;
        };
        if (model == null) {
            out.add("no schema for kind '" + kind
                    + "' here (Job, Service, Secret, ServiceAccount, Namespace, Role, RoleBinding)");
            return out;
        }
        try {
            validate(model, element);
            new JSON(); // sets up the client's Gson, with its adapters for quantities and times
            JSON.deserialize(json, model);
        } catch (RuntimeException | java.io.IOException e) {
            out.add(kind + ": " + e.getMessage());
        }
        return out;
    }

    private static void validate(Class<?> model, JsonElement element) throws java.io.IOException {
        if (model == V1Job.class) {
            V1Job.validateJsonElement(element);
        } else if (model == V1Service.class) {
            V1Service.validateJsonElement(element);
        } else if (model == V1ServiceAccount.class) {
            V1ServiceAccount.validateJsonElement(element);
        } else if (model == V1Namespace.class) {
            V1Namespace.validateJsonElement(element);
        } else if (model == V1Role.class) {
            V1Role.validateJsonElement(element);
        } else if (model == V1Secret.class) {
            V1Secret.validateJsonElement(element);
        } else if (model == V1RoleBinding.class) {
            V1RoleBinding.validateJsonElement(element);
        } else {
            throw new IllegalArgumentException("no validator for " + model.getSimpleName());
        }
    }
}
