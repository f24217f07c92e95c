package io.shiftsr.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Pins the reference values of DESIGN.md section 3. */
class ScheduleTest {

    @Test
    void fourStepReferenceValues() {
        double[] expected = {0.1, 0.520096, 0.761382, 0.99};
        assertArrayEquals(expected, Schedule.deltaDiff().sqrtEtas(), 1e-6);
    }

    @Test
    void fifteenStepReferenceValues() {
        double[] expected = {.020, .117, .176, .234, .292, .351, .412, .476, .542, .610, .681, .754, .830, .909, .990};
        assertArrayEquals(expected, Schedule.resShift().sqrtEtas(), 5e-4);
    }

    @Test
    void etaIncreasesFromNearZeroToNearOne() {
        Schedule s = Schedule.resShift();
        assertEquals(0.0, s.eta(0));
        for (int t = 1; t <= s.steps(); t++) {
            assertTrue(s.eta(t) > s.eta(t - 1));
        }
        assertEquals(0.99 * 0.99, s.eta(15), 1e-12);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 0.3, 0.1, 0.99, 0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(4, 0.3, 0.5, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(4, 0.3, 0.1, 0.99, -1));
    }
}
