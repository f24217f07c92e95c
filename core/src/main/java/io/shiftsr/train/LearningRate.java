package io.shiftsr.train;

/** Linear warm-up to the peak, then cosine decay to the floor at totalSteps. */
public record LearningRate(double peak, double floor, int warmupSteps, long totalSteps) {
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
