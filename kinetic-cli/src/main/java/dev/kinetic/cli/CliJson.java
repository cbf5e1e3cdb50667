package dev.kinetic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.ui.view.ViewJson;

/**
 * The JSON the CLI prints: the same mapper as the dashboard's {@code /api/...}, so a view reads the same from both
 * (nulls written, field order kept, ISO-8601 times; see {@link ViewJson}).
 */
final class CliJson {
    private CliJson() {}

    static final ObjectMapper MAPPER = ViewJson.MAPPER;
}
