package io.shiftsr.diffusion;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * ResShift's exponential eta schedule (DESIGN.md section 3), on the square-root scale:
 * sqrt(eta_t) = s_1 * b^beta_t, b = exp(ln(s_T/s_1)/(T-1)), beta_t = ((t-1)/(T-1))^p (T-1).
 *
 * @param steps   T
 * @param power   p
 * @param sqrtEta1 sqrt(eta_1)
 * @param sqrtEtaT sqrt(eta_T)
 * @param kappa   noise strength; 0 gives the noise-free DeltaDiff process
 */
public record Schedule(int steps, double power, double sqrtEta1, double sqrtEtaT, double kappa) {

    public Schedule {
        if (steps < 1) {
            throw new IllegalArgumentException("schedule: steps must be >= 1");
        }
        if (!(sqrtEta1 > 0 && sqrtEta1 <= sqrtEtaT && sqrtEtaT <= 1)) {
            throw new IllegalArgumentException("schedule: need 0 < sqrt(eta_1) <= sqrt(eta_T) <= 1");
        }
        if (kappa < 0 || power <= 0) {
            throw new IllegalArgumentException("schedule: kappa >= 0 and p > 0");
        }
    }

    /** DeltaDiff: 4 steps, no noise (DESIGN.md section 3, first reference row). */
    public static Schedule deltaDiff() {
        return new Schedule(4, 0.3, 0.1, 0.99, 0.0);
    }

    /** ResShift: 15 steps, kappa 2, eta_1 = 0.04^2 / kappa^2 (second reference row). */
    public static Schedule resShift() {
        return new Schedule(15, 0.3, 0.02, 0.99, 2.0);
    }

    public Schedule withKappa(double k) {
        return new Schedule(steps, power, sqrtEta1, sqrtEtaT, k);
    }

    /** sqrt(eta_t) for t in 1..T; t = 0 gives 0. */
    public double sqrtEta(int t) {
        if (t < 0 || t > steps) {
            throw new IllegalArgumentException("t out of range: " + t);
        }
        if (t == 0) {
            return 0;
        }
        if (steps == 1) {
            return sqrtEtaT;
        }
        double b = Math.exp(Math.log(sqrtEtaT / sqrtEta1) / (steps - 1));
        double beta = Math.pow((t - 1.0) / (steps - 1.0), power) * (steps - 1);
        return sqrtEta1 * Math.pow(b, beta);
    }

    public double eta(int t) {
        double s = sqrtEta(t);
        return s * s;
    }

    @JsonIgnore
    public double[] sqrtEtas() {
        double[] out = new double[steps];
        for (int t = 1; t <= steps; t++) {
            out[t - 1] = sqrtEta(t);
        }
        return out;
    }
}
