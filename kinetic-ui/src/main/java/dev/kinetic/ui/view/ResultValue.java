package dev.kinetic.ui.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's value as {@code kinetic jobs result} prints it and {@code kinetic ui} serves it: JSON where Jackson can write it (numbers, strings, lists, maps, records,
 * beans), else its {@code toString()}, so any value prints.
 *
 * @param type the value's class name, or {@code null} for a null value
 * @param json the value as a JSON tree, or {@code null} when only toString() worked
 * @param text what a person sees: compact JSON, or toString()
 */
public record ResultValue(String type, JsonNode json, String text) {

    public static ResultValue of(Object value) {
        String type = value == null ? null : value.getClass().getName();
        try {
            // Empty beans would print as {}: better to show toString(), which says something.
            JsonNode tree = ViewJson.MAPPER
                    .copy()
                    .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .valueToTree(value);
            return new ResultValue(
                    type,
                    tree,
                    ViewJson.MAPPER
                            .copy()
                            .disable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(tree));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            return new ResultValue(type, null, String.valueOf(value));
        }
    }

    public Map<String, Object> document(String id) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("status", "SUCCEEDED");
        doc.put("type", type);
        doc.put("format", json != null ? "json" : "toString");
        doc.put("value", json != null ? json : text);
        return doc;
    }
}
