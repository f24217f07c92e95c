package io.shiftsr.engine;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A seeded source of Gaussian and uniform tensors. Streams are derived from (seed, stream id) so a
 * resumed run can rebuild any step's randomness without saving generator state.
 */
public final class Rng {
    private final Generator generator;

    public Rng(long seed) {
        Engine.init();
        this.generator = torch.make_generator_cpu(seed);
        // A generator lives as long as this object, not as long as the scope it was made in.
        Scope.escapeAll(generator);
    }

    /** A generator for one sub-stream, e.g. (run seed, step number). */
    public static Rng derive(long seed, long stream) {
        return new Rng(mix(seed, stream));
    }

    /** SplitMix64 finaliser: nearby (seed, stream) pairs give unrelated seeds. */
    static long mix(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    public Tensor randn(long... shape) {
        return new Tensor(torch.randn(shape, new GeneratorOptional(generator)));
    }

    /** Uniform in [lo, hi). */
    public Tensor uniform(double lo, double hi, long... shape) {
        org.bytedeco.pytorch.Tensor t = torch.empty(shape);
        t.uniform_(lo, hi, new GeneratorOptional(generator));
        return new Tensor(t);
    }
}
