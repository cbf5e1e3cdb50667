package dev.kinetic.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Left-aligned columns separated by three spaces, as kubectl prints them. Cells may carry colour codes. */
final class Table {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size());
        }
        List<String> row = new ArrayList<>();
        for (String c : cells) {
            row.add(c == null ? "" : c);
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    List<String> lines() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], visibleLength(row.get(i)));
            }
        }
        List<String> out = new ArrayList<>();
        out.add(format(headers, widths));
        rows.forEach(r -> out.add(format(r, widths)));
        return out;
    }

    private static String format(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - visibleLength(cell) + 3));
            }
        }
        return line.toString().stripTrailing();
    }

    private static int visibleLength(String s) {
        return ANSI.matcher(s).replaceAll("").length();
    }
}
