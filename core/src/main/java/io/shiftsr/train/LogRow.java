package io.shiftsr.train;

/** One row of {@link TrainingLog}; cells that were empty are NaN. */
public record LogRow(String kind, long step, double timeS, double loss, double lr, double samplesPerS,
                     double dataWaitFrac, double psnrY, double ssimY, double bicubicPsnrY, double bicubicSsimY) {
    private static final int COLUMNS = 11;

    public boolean isTrain() {
        return kind.equals("train");
    }

    public boolean isValidation() {
        return kind.equals("val");
    }

    /** Parses a CSV line; null for the header, blank lines and malformed lines (e.g. cut by a crash). */
    static LogRow parse(String line) {
        String[] c = line.split(",", -1);
        if (c.length != COLUMNS || !(c[0].equals("train") || c[0].equals("val"))) {
            return null;
        }
        try {
            double[] v = new double[COLUMNS];
            for (int i = 2; i < COLUMNS; i++) {
                v[i] = c[i].isEmpty() ? Double.NaN : Double.parseDouble(c[i]);
            }
            return new LogRow(c[0], Long.parseLong(c[1]), v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
