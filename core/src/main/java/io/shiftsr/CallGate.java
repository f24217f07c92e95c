package io.shiftsr;

import io.shiftsr.engine.Engine;

/**
 * Who may run a model call now: up to {@link Engine#concurrentCalls()} upscales at once (1 unless the compute
 * threads per call were set below the cores), and a change of the shared model (its precision, closing it) only
 * alone. Every view of one model shares one gate.
 */
final class CallGate {
    private int running;
    private boolean alone;

    /** A call that holds the gate until closed. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits until a call may run beside those running; closing the pass lets the next one in. */
    Pass enter() {
        synchronized (this) {
            boolean interrupted = false;
            while (alone || running >= Engine.concurrentCalls()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // a call is not abandoned half-way; the flag is kept for the caller
                }
            }
            running++;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return this::leave;
    }

    /** Waits until no call runs, and keeps every other call out until closed. */
    Pass enterAlone() {
        synchronized (this) {
            boolean interrupted = false;
            while (alone || running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            alone = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return () -> {
            synchronized (this) {
                alone = false;
                notifyAll();
            }
        };
    }

    private synchronized void leave() {
        running--;
        notifyAll();
    }
}
