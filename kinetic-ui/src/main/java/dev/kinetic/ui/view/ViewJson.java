package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * How the views are written, by the CLI's {@code -o json} and by the dashboard's {@code /api/...} alike. Unlike the
 * store's format, null fields are written ({@code "reason": null}), so a script sees the same field names for every
 * job; documents keep their field order; times are ISO-8601 strings.
 */
public final class ViewJson {
    private ViewJson() {}

    /** Immutable once built, so sharing it is safe. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();
}
