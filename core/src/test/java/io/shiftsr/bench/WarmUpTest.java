package io.shiftsr.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench's warm-up runs its task until the JIT settles, and never without bound. */
class WarmUpTest {
    @Test
    void countsItsRunsAndStopsWithinItsBounds() {
        AtomicInteger calls = new AtomicInteger();
        Benchmarks.WarmUp w = Benchmarks.warmUp(calls::incrementAndGet);
        assertEquals(calls.get(), w.runs(), "every run is counted");
        assertTrue(w.runs() >= 1 && w.runs() <= Benchmarks.MAX_WARM_UP_RUNS, w.toString());
        if (w.lastCompileMillis() >= 0) { // the JVM reports its compiling time: at least two runs, then settled
            assertTrue(w.runs() >= 2, w.toString());
        }
    }

    @Test
    void saysWhetherTheJitSettled() {
        assertTrue(new Benchmarks.WarmUp(12, 1, true).describe().contains("12 warm-up runs, until the JIT settled"));
        assertTrue(new Benchmarks.WarmUp(40, 90, false).describe().contains("not yet settled (90 ms"));
        assertEquals("1 warm-up run", new Benchmarks.WarmUp(1, -1, true).describe());
    }
}
