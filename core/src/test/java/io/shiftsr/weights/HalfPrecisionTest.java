package io.shiftsr.weights;

import static io.shiftsr.weights.HalfPrecision.bf16ToFloat;
import static io.shiftsr.weights.HalfPrecision.floatToBf16;
import static io.shiftsr.weights.HalfPrecision.floatToHalf;
import static io.shiftsr.weights.HalfPrecision.halfToFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {

    private static int h(float f) {
        return floatToHalf(f) & 0xffff;
    }

    @Test
    void zerosAndSimpleValues() {
        assertEquals(0x0000, h(0f));
        assertEquals(0x8000, h(-0f));
        assertEquals(0x3c00, h(1f));
        assertEquals(0xc000, h(-2f));
        assertEquals(0x3555, h(1f / 3));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(halfToFloat((short) 0x8000)));
        assertEquals(1f, halfToFloat((short) 0x3c00));
    }

    @Test
    void maxHalfAndOverflow() {
        assertEquals(0x7bff, h(65504f));
        assertEquals(65504f, halfToFloat((short) 0x7bff));
        assertEquals(0x7bff, h(65519.996f)); // just below the midpoint to "65536"
        assertEquals(0x7c00, h(65520f)); // midpoint, 0x7bff is odd: ties to even = inf
        assertEquals(0x7c00, h(1e6f));
        assertEquals(0xfc00, h(-1e6f));
        assertEquals(0x7c00, h(Float.MAX_VALUE));
        assertEquals(0x7c00, h(Float.POSITIVE_INFINITY));
        assertEquals(0xfc00, h(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, halfToFloat((short) 0x7c00));
    }

    @Test
    void nanStaysNan() {
        int n = h(Float.NaN);
        assertEquals(0x7c00, n & 0x7c00);
        assertTrue((n & 0x3ff) != 0);
        // A NaN whose payload lives only in the low bits must not collapse to inf.
        int low = h(Float.intBitsToFloat(0x7f800001));
        assertTrue((low & 0x3ff) != 0);
        assertTrue(Float.isNaN(halfToFloat((short) n)));
        assertTrue(Float.isNaN(halfToFloat((short) 0x7e00)));
    }

    @Test
    void subnormals() {
        assertEquals(0x0001, h(0x1p-24f)); // smallest subnormal
        assertEquals(0x0000, h(0x1p-25f)); // exact tie between 0 and 2^-24 -> even (0)
        assertEquals(0x8000, h(-0x1p-25f));
        assertEquals(0x0001, h(Math.nextUp(0x1p-25f)));
        assertEquals(0x0002, h(3 * 0x1p-25f)); // tie between 1 and 2 -> 2
        assertEquals(0x0002, h(5 * 0x1p-25f)); // tie between 2 and 3 -> 2
        assertEquals(0x03ff, h(1023 * 0x1p-24f)); // largest subnormal
        assertEquals(0x0400, h(0x1p-14f)); // smallest normal
        assertEquals(0x0400, h(Math.nextDown(0x1p-14f))); // rounds up across the boundary
        assertEquals(0x0000, h(Float.MIN_VALUE)); // float subnormal -> 0
        assertEquals(0x1p-24f, halfToFloat((short) 1));
        assertEquals(1023 * 0x1p-24f, halfToFloat((short) 0x03ff));
    }

    @Test
    void normalTiesToEven() {
        assertEquals(0x3c00, h(1f + 0x1p-11f)); // midway between 0x3c00 (even) and 0x3c01
        assertEquals(0x3c02, h(1f + 3 * 0x1p-11f)); // midway between 0x3c01 (odd) and 0x3c02
        assertEquals(0x3c01, h(1f + 0x1p-11f + 0x1p-20f)); // just above the midpoint
        assertEquals(0x3c00, h(1f + 0x1p-11f - 0x1p-22f));
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = halfToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(halfToFloat(floatToHalf(f))));
                continue;
            }
            assertEquals(bits, h(f), "half bits 0x" + Integer.toHexString(bits));
        }
    }

    /** Property check against brute force: result is a nearest half, ties go to the even one. */
    @Test
    void randomFloatsRoundToNearestEven() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
                continue;
            }
            int r = h(f);
            double got = halfToFloat((short) r);
            double err = Math.abs(got - f);
            int mag = r & 0x7fff;
            for (int nb : new int[] {mag - 1, mag + 1}) {
                if (nb < 0 || nb > 0x7bff) {
                    continue;
                }
                double other = halfToFloat((short) ((r & 0x8000) | nb)); // same sign, next magnitude
                double otherErr = Math.abs(other - f);
                assertTrue(err <= otherErr, () -> "not nearest for " + f);
                if (err == otherErr) {
                    assertEquals(0, mag & 1, () -> "tie not to even for " + f);
                }
            }
        }
    }

    @Test
    void bfloat16() {
        assertEquals(0x3f80, floatToBf16(1f) & 0xffff);
        assertEquals(0x3f80, floatToBf16(Float.intBitsToFloat(0x3f808000)) & 0xffff); // tie -> even
        assertEquals(0x3f82, floatToBf16(Float.intBitsToFloat(0x3f818000)) & 0xffff); // tie -> even (up)
        assertEquals(0x3f81, floatToBf16(Float.intBitsToFloat(0x3f808001)) & 0xffff);
        assertEquals(0x7f80, floatToBf16(Float.MAX_VALUE) & 0xffff); // overflow -> inf
        assertTrue(Float.isNaN(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0x7f800001)))));
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = bf16ToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, floatToBf16(f) & 0xffff);
            }
        }
    }
}
