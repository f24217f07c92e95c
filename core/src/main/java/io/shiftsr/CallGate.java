package io.shiftsr;

import java.util.function.IntSupplier;

/**
 * Who may run a model call now: up to {@code limit} upscales at once (for a model, {@link
 * io.shiftsr.engine.Engine#concurrentCalls()}: 1 unless the compute threads per call were set below the cores), and
 * a change of the shared model (its precision, closing it) only alone. Every view of one model shares one gate.
 */
final class CallGate {
    private final IntSupplier limit;
    private int running;
    private boolean alone;

    /** {@code limit}: how many calls may run at once, asked at each entry (the engine's count may change). */
    CallGate(IntSupplier limit) {
        this.limit = limit;
    }

    /** A call that holds the gate until closed. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits until a call may run beside those running; closing the pass lets the next one in. */
    synchronized Pass enter() {
        waitWhile(() -> alone || running >= limit.getAsInt());
        running++;
        return this::leave;
    }

    /** Waits until no call runs, and keeps every other call out until closed. */
    synchronized Pass enterAlone() {
        waitWhile(() -> alone || running > 0);
        alone = true;
        return () -> {
            synchronized (this) {
                alone = false;
                notifyAll();
            }
        };
    }

    /**
     * Waits (holding this monitor between waits) while {@code blocked} holds. An interrupt does not abandon a call
     * half-way: the wait goes on and the flag is kept for the caller.
     */
    private void waitWhile(java.util.function.BooleanSupplier blocked) {
        boolean interrupted = false;
        while (blocked.getAsBoolean()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void leave() {
        running--;
        notifyAll();
    }
}
