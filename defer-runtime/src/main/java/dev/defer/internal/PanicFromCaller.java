package dev.defer.internal;

import dev.defer.Panic;

/**
 * A template, never loaded under this name: {@link PanicSites} reads this class file as a resource and
 * defines it as a hidden class, whose {@link #panic} the {@code Defer.panic} call sites of rewritten classes
 * are linked to. HotSpot leaves the frames of hidden classes (and the method handle frames between the call
 * site and this method) out of a stack trace, and the constructor frames of the throwable's classes, so a
 * {@link Panic} made here starts at the caller of {@code Defer.panic} as it is filled in: nothing to trim, at
 * no cost, however the JDK later prints it (as a cause or a suppressed exception too).
 *
 * <p>No static initialiser and no fields: linking must not be able to fail in a way the JVM would record
 * (docs/reliability.md).
 */
final class PanicFromCaller {
    private PanicFromCaller() {
    }

    /**
     * {@code Defer.panic(value)}, exactly: a throwable is thrown as it is, a recovered value panicking again
     * in the call that recovered it throws the recovered {@code Panic}, any other value a new {@code Panic}.
     *
     * @param value the panic value
     * @return never returns
     */
    static RuntimeException panic(Object value) {
        if (value instanceof Throwable) {
            throw DeferThread.sneakyThrow((Throwable) value);
        }
        Panic recovered = Recovery.repanic(value);
        if (recovered != null) {
            throw recovered;
        }
        throw new Panic(value);
    }
}
