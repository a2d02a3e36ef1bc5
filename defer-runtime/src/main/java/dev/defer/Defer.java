package dev.defer;

import dev.defer.internal.DeferThread;
import dev.defer.internal.FirstUse;
import dev.defer.internal.Misuse;
import dev.defer.internal.Recovery;

/**
 * Go's {@code defer}, {@code panic} and {@code recover} for methods annotated {@link Defers}.
 *
 * <pre>{@code
 * @Defers
 * static long copy(Path from, Path to) throws IOException {
 *     InputStream in = Files.newInputStream(from);
 *     Defer.defer(in::close);
 *     OutputStream out = Files.newOutputStream(to);
 *     Defer.defer(out::close);
 *     return in.transferTo(out);
 * }
 * }</pre>
 *
 * <p>The {@code defer} methods work only in the body of a {@link Defers} method that the defer agent
 * rewrote, where the agent replaces each call by a call into the runtime; anywhere else (a method without
 * {@code @Defers}, a lambda body, a program run without {@code -javaagent:defer-agent.jar}) they throw an
 * {@link IllegalStateException} that names the calling method and the fix. The behaviour contract, rule
 * by rule, is {@code docs/semantics.md} in the project repository.
 */
public final class Defer {
    private Defer() {
    }

    /**
     * Registers a call to run when the enclosing {@link Defers} invocation ends, by return or by panic,
     * after the calls registered later (last-in-first-out). Go: {@code defer f()}.
     *
     * @param call the deferred call; values it captures are those of the moment the lambda is created
     * @throws NullPointerException in a rewritten method, when {@code call} is null
     * @throws IllegalStateException always, when reached: the agent replaces this call in the methods it
     *     rewrites, so reaching it means the calling method was not rewritten
     */
    public static void defer(Deferred call) {
        FirstUse.ensurePrepared();
        throw Misuse.notRewritten("Defer.defer");
    }

    /**
     * Registers a call with one argument, evaluated now. Go: {@code defer f(a)}.
     *
     * @param call the deferred call
     * @param a its argument, taken now
     * @param <A> the argument's type
     * @throws IllegalStateException always, when reached: see {@link #defer(Deferred)}
     */
    public static <A> void defer(Deferred1<A> call, A a) {
        FirstUse.ensurePrepared();
        throw Misuse.notRewritten("Defer.defer");
    }

    /**
     * Registers a call with two arguments, evaluated now. Go: {@code defer f(a, b)}.
     *
     * @param call the deferred call
     * @param a its first argument, taken now
     * @param b its second argument, taken now
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @throws IllegalStateException always, when reached: see {@link #defer(Deferred)}
     */
    public static <A, B> void defer(Deferred2<A, B> call, A a, B b) {
        FirstUse.ensurePrepared();
        throw Misuse.notRewritten("Defer.defer");
    }

    /**
     * Stops the panic that is running the calling deferred call, and returns its value: the argument of
     * {@link #panic(Object)}, or the throwable itself. The invocation then returns normally, with its
     * result slot. Go: {@code recover()}.
     *
     * <p>Returns {@code null} and does nothing when no panic is running, when it was already recovered,
     * when the caller is not itself the deferred call (a helper that a deferred call calls, or the
     * {@code @Defers} body), when the throwable is a fatal {@link VirtualMachineError}, and during
     * {@link #goexit()}.
     *
     * @return the panic value, or {@code null}
     */
    public static Object recover() {
        FirstUse.ensurePrepared();
        return Recovery.recover();
    }

    /**
     * Panics: throws {@code value} itself when it is a {@link Throwable} (checked ones too, unwrapped),
     * else a {@link Panic} carrying it, whose stack trace starts at the caller. Go: {@code panic(v)}.
     *
     * <p>Re-panicking keeps where the panic started: in the deferred call that recovered a panic, while it
     * runs, {@code Defer.panic} of the very value {@link #recover()} returned throws that same {@code Panic}
     * again (Go 1.25 prints it once, {@code [recovered, repanicked]}), so its stack trace still shows the
     * line that failed. A recovered throwable is thrown as it is anyway.
     *
     * @param value the panic value; {@code null} panics with a {@code Panic} whose value is null
     * @return never returns normally; the return type lets callers write {@code throw Defer.panic(v)}
     */
    public static RuntimeException panic(Object value) {
        FirstUse.ensurePrepared();
        if (value instanceof Throwable) {
            throw DeferThread.sneakyThrow((Throwable) value);
        }
        Panic recovered = Recovery.repanic(value);
        if (recovered != null) {
            throw recovered;
        }
        throw Panic.fromCallerOf(Defer.class, value);
    }

    /**
     * Reads the result slot of the innermost {@link Defers} invocation active on this thread: the one
     * whose body or deferred calls are running. Go: reading a named result. Primitives come boxed.
     *
     * @param <T> the type the caller expects
     * @return the value last stored by {@code return} or {@link #setResult(Object)}, else the zero value
     * @throws IllegalStateException when no invocation is active or the method returns {@code void}
     */
    public static <T> T result() {
        FirstUse.ensurePrepared();
        return DeferThread.activeForResult("Defer.result").result();
    }

    /**
     * Writes the result slot of the innermost {@link Defers} invocation active on this thread. Go:
     * assigning a named result; a deferred call that sets it changes what the invocation returns.
     *
     * @param value the new result; primitives boxed, and converted by widening as Java assigns them
     * @throws IllegalStateException when no invocation is active or the method returns {@code void}
     * @throws IllegalArgumentException when the method's return type cannot hold {@code value}
     */
    public static void setResult(Object value) {
        FirstUse.ensurePrepared();
        DeferThread.activeForResult("Defer.setResult").setResult(value);
    }

    /**
     * Ends the current thread's work as Go's {@code runtime.Goexit()} ends a goroutine: throws a
     * {@link Goexit} that unwinds every {@link Defers} invocation on the thread, running their deferred
     * calls, and that {@link #recover()} cannot stop. When it leaves the thread's {@code run} method the
     * thread ends without printing a stack trace.
     *
     * @return never returns normally; the return type lets callers write {@code throw Defer.goexit()}
     */
    public static Goexit goexit() {
        FirstUse.ensurePrepared();
        Recovery.silenceGoexitOnCurrentThread();
        throw new Goexit();
    }
}
