package io.shiftsr.weights;

/**
 * float32 <-> IEEE 754 binary16 (F16) and bfloat16 (BF16) conversions, done by hand
 * because {@code Float.floatToFloat16} only exists from Java 20. All narrowing
 * conversions round to nearest, ties to even; overflow gives infinity; NaN stays NaN.
 */
public final class HalfPrecision {
    private HalfPrecision() {
    }

    /** Rounds a float to the nearest binary16 value and returns its bits. */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;

        if (exp == 0xff) {
            if (mant == 0) {
                return (short) (sign | 0x7c00); // +-inf
            }
            // NaN: keep the top payload bits and force the quiet bit so it cannot become inf.
            return (short) (sign | 0x7c00 | 0x200 | (mant >>> 13));
        }

        int e = exp - 127 + 15; // re-biased exponent for half
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // |f| >= 2^16: beyond any rounding to 65504
        }
        if (e <= 0) {
            // Result is a half subnormal (or zero): value = m * 2^-24.
            if (e < -10) {
                return (short) sign; // |f| < 2^-25 rounds to (signed) zero; float subnormals land here too
            }
            int full = mant | 0x800000; // restore the implicit leading 1
            int shift = 14 - e; // 14..24
            int m = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (m & 1) != 0)) {
                m++; // may carry into the exponent field, giving the smallest normal: correct
            }
            return (short) (sign | m);
        }

        int h = sign | (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++; // a carry out of the mantissa bumps the exponent; 0x7bff + 1 = 0x7c00 = inf
        }
        return (short) h;
    }

    /** Exact widening of binary16 bits to float. */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal or zero; exact in float
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf / NaN
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Rounds a float to the nearest bfloat16 value and returns its bits. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x7fffff) != 0) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN; truncation alone could give inf
        }
        // Adding 0x7fff plus the lowest kept bit rounds to nearest, ties to even; overflow reaches inf.
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Exact widening of bfloat16 bits to float. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
