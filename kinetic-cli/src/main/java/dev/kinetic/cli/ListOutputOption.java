package dev.kinetic.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code -o table|json|name} option of listings: {@code name} prints ids only, one a line. */
public final class ListOutputOption {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description =
                    "Output format: table (default), json (one document on stdout) or name (job ids only, one a line).",
            completionCandidates = Candidates.class,
            converter = Converter.class)
    OutputFormat format = OutputFormat.TABLE;

    public OutputFormat format() {
        return format;
    }

    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "json", "name").iterator();
        }
    }

    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "table" -> OutputFormat.TABLE;
                case "json" -> OutputFormat.JSON;
                case "name" -> OutputFormat.NAME;
                default ->
                    throw new TypeConversionException(
                            "'" + value + "' is not an output format; use table, json or name");
            };
        }
    }
}
