package io.shiftsr;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shiftsr.engine.ComputeCores;
import io.shiftsr.engine.Engine;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls run one at a time on every core, side by side on fewer threads, and a model change runs alone. */
class CallGateTest {
    @AfterEach
    void allCoresAgain() {
        Engine.setThreads(0);
    }

    @Test
    void oneCallAtATimeWhenEachUsesEveryCore() throws Exception {
        Engine.setThreads(0);
        assertEquals(Math.max(1, ComputeCores.count() / Engine.threads()), Engine.concurrentCalls());
        assumeTrue(Engine.concurrentCalls() == 1, "OMP_NUM_THREADS below the cores");
        CallGate gate = new CallGate(Engine::concurrentCalls);
        CountDownLatch second = new CountDownLatch(1);
        Thread t;
        try (CallGate.Pass first = gate.enter()) {
            t = new Thread(() -> {
                try (CallGate.Pass p = gate.enter()) {
                    second.countDown();
                }
            });
            t.start();
            assertFalse(second.await(200, TimeUnit.MILLISECONDS), "a second call ran beside the first");
        }
        assertTrue(second.await(10, TimeUnit.SECONDS), "the second call never ran");
        t.join();
    }

    @Test
    void callsOnOneThreadEachRunSideBySideAndAModelChangeWaitsForThem() throws Exception {
        assumeTrue(ComputeCores.count() >= 2, "needs 2 cores");
        Engine.setThreads(1);
        assertEquals(ComputeCores.count(), Engine.concurrentCalls());
        CallGate gate = new CallGate(Engine::concurrentCalls);
        CountDownLatch bothIn = new CountDownLatch(2), release = new CountDownLatch(1), changed = new CountDownLatch(1);
        Runnable call = () -> {
            try (CallGate.Pass p = gate.enter()) {
                bothIn.countDown();
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        Thread a = new Thread(call), b = new Thread(call);
        a.start();
        b.start();
        assertTrue(bothIn.await(10, TimeUnit.SECONDS), "two calls did not run at once");
        Thread change = new Thread(() -> {
            try (CallGate.Pass alone = gate.enterAlone()) {
                changed.countDown();
            }
        });
        change.start();
        assertFalse(changed.await(200, TimeUnit.MILLISECONDS), "the change ran while calls were running");
        release.countDown();
        assertTrue(changed.await(10, TimeUnit.SECONDS), "the change never ran");
        a.join();
        b.join();
        change.join();
    }
}
