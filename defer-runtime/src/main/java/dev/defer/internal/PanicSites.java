package dev.defer.internal;

import dev.defer.Defer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Links the {@code Defer.panic} call sites of rewritten classes ({@link DeferSupport#panicSite}, ABI 6) to
 * {@link PanicFromCaller#panic}, defined once as a hidden class from the template's class file, so that a
 * {@code Panic}'s trace starts at the caller of {@code Defer.panic} without trimming.
 *
 * <p>Where a hidden class cannot be defined (a runtime jar without the template, a template the JVM
 * rejects), every site links to {@code Defer.panic} itself, whose {@code Panic} drops its frames when its trace
 * is first read (the JDK printing it as a cause still shows them), and the reason is printed once to
 * {@code System.err}. A {@link VirtualMachineError} (a stack overflow while linking) is thrown as it is and
 * not kept: the JVM does not record it either, so the site links at its next execution.
 *
 * <p>No static initialiser: a class whose initialisation fails (say with a stack overflow) is broken for the
 * JVM's life.
 */
final class PanicSites {
    /** The template's method, in its hidden class, or {@code Defer.panic} when that could not be defined. */
    private static volatile MethodHandle target;

    private PanicSites() {
    }

    /**
     * The call site of one {@code invokedynamic} that stands for {@code Defer.panic(Object)}.
     *
     * @param caller the class whose call site it is
     * @param name the name of the call site
     * @param type {@code (Object)RuntimeException}
     * @return a constant call site on the hidden method
     */
    static CallSite link(MethodHandles.Lookup caller, String name, MethodType type) {
        if (type.parameterCount() != 1 || type.parameterType(0) != Object.class
                || type.returnType() != RuntimeException.class) {
            throw new IllegalArgumentException(caller.lookupClass().getName() + "." + name + ": a Defer.panic"
                    + " call site must have the type (Object)RuntimeException, not " + type + "; the class was"
                    + " rewritten by a defer agent that does not match this defer-runtime: rewrite it again"
                    + " with the agent of the same release");
        }
        MethodHandle linked = target;
        return new ConstantCallSite(linked != null ? linked : define());
    }

    private static synchronized MethodHandle define() {
        MethodHandle linked = target;
        if (linked != null) {
            return linked;
        }
        MethodType type = MethodType.methodType(RuntimeException.class, Object.class);
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(template(), false);
            linked = hidden.findStatic(hidden.lookupClass(), "panic", type);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | LinkageError e) {
            linked = fallback(type, e);
        }
        target = linked;
        return linked;
    }

    private static byte[] template() throws IOException {
        // By name, not PanicFromCaller.class, which would load the template as a normal class.
        String resource = "PanicFromCaller.class";
        try (InputStream in = PanicSites.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " next to " + PanicSites.class.getName());
            }
            return in.readAllBytes();
        }
    }

    private static MethodHandle fallback(MethodType type, Throwable reason) {
        System.err.println("defer: Defer.panic call sites link to Defer.panic itself, since the runtime cannot"
                + " define its hidden class (" + reason + "): a Panic's trace drops Defer.panic's frames only when"
                + " it is read, so a Panic printed only as another exception's cause still starts at Defer.panic;"
                + " allow Lookup.defineHiddenClass, or use an unmodified defer-runtime jar");
        try {
            return MethodHandles.publicLookup().findStatic(Defer.class, "panic", type);
        } catch (ReflectiveOperationException e) {
            IllegalStateException failure = new IllegalStateException("dev.defer.internal.PanicSites.define:"
                    + " Defer.panic(Object) is missing from this defer-runtime; use a released defer-runtime jar", e);
            failure.addSuppressed(reason);
            throw failure;
        }
    }
}
