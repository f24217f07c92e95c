package io.shiftsr.engine;

import java.util.Iterator;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * A native-memory scope: every tensor made while it is open is freed when it closes
 * (DESIGN.md section 9: one scope per training or sampling step keeps memory flat).
 * Tensors that must outlive it are passed to {@link Tensor#keep()}.
 */
public final class Scope implements AutoCloseable {
    private final PointerScope inner;

    private Scope() {
        Engine.init();
        this.inner = new PointerScope();
    }

    public static Scope open() {
        return new Scope();
    }

    /**
     * Moves {@code p} from the innermost scope to the one enclosing it (or out of all scopes, after which
     * the garbage collector frees it). JavaCPP's detach drops a reference, so one is taken first.
     */
    static void escape(Pointer p) {
        PointerScope inner = PointerScope.getInnerScope();
        if (inner == null) {
            return;
        }
        PointerScope outer = null;
        Iterator<PointerScope> it = PointerScope.getScopeIterator();
        while (it != null && it.hasNext()) {
            PointerScope s = it.next();
            if (s != inner) {
                outer = s;
                break;
            }
        }
        p.retainReference();
        inner.detach(p);
        if (outer != null) {
            outer.attach(p);
            p.releaseReference();
        }
    }

    /**
     * Takes {@code p}, made while the innermost scope was open (or outside all scopes), out of scope: its owner
     * frees it (or the garbage collector does). JavaCPP attaches a new pointer to the innermost scope only, and
     * its detach drops a reference whether or not the scope held the pointer, so only that scope is detached
     * from: detaching from every open scope freed a generator made inside two nested scopes at once.
     */
    static void escapeAll(Pointer p) {
        p.retainReference();
        PointerScope inner = PointerScope.getInnerScope();
        if (inner != null) {
            inner.detach(p);
        }
        // One reference is left to the owner; it is released when the owner closes or is collected.
    }

    @Override
    public void close() {
        inner.close();
    }
}
