package dev.kinetic.examples.ml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Iris table ({@code kinetic-examples/data/iris.csv}: 150 flowers, 4 measurements in cm, 3 species), split the same
 * way every time: every fifth flower of each species is held out for validation (30), the rest train (120). Features
 * are standardized with the training rows' mean and deviation, which plain SGD needs to converge at sane rates.
 *
 * @param trainFeatures 120 rows of 4 standardized measurements
 * @param trainLabels their species, 0 to 2
 * @param validationFeatures 30 rows
 * @param validationLabels their species
 */
public record IrisTable(
        float[][] trainFeatures, float[] trainLabels, float[][] validationFeatures, float[] validationLabels) {

    static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    /** Reads and splits the CSV (header, then {@code sepal_length,sepal_width,petal_length,petal_width,species}). */
    public static IrisTable read(Path csv) throws IOException {
        List<float[]> train = new ArrayList<>();
        List<float[]> validation = new ArrayList<>();
        List<Float> trainY = new ArrayList<>();
        List<Float> validationY = new ArrayList<>();
        int[] seen = new int[SPECIES.size()];
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",");
            int species = SPECIES.indexOf(cells[4]);
            if (cells.length != 5 || species < 0) {
                throw new IOException(
                        csv + " line " + (n + 1) + " is not 4 numbers and a species of " + SPECIES + ": " + line);
            }
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) {
                x[i] = Float.parseFloat(cells[i]);
            }
            boolean held = seen[species]++ % 5 == 4;
            (held ? validation : train).add(x);
            (held ? validationY : trainY).add((float) species);
        }
        float[][] trainX = train.toArray(new float[0][]);
        float[][] validationX = validation.toArray(new float[0][]);
        standardize(trainX, validationX);
        return new IrisTable(trainX, toArray(trainY), validationX, toArray(validationY));
    }

    private static void standardize(float[][] train, float[][] validation) {
        for (int col = 0; col < 4; col++) {
            double mean = 0;
            for (float[] row : train) {
                mean += row[col];
            }
            mean /= train.length;
            double variance = 0;
            for (float[] row : train) {
                variance += (row[col] - mean) * (row[col] - mean);
            }
            double sd = Math.sqrt(variance / train.length);
            for (float[][] rows : List.of(train, validation)) {
                for (float[] row : rows) {
                    row[col] = (float) ((row[col] - mean) / sd);
                }
            }
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
