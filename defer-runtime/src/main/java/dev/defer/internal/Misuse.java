package dev.defer.internal;

import dev.defer.Defers;
import java.lang.StackWalker.StackFrame;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Optional;

/**
 * The errors of rule S13: API calls that cannot work where they are made. Each message names the calling
 * class and method, with its source line, and says how to fix it.
 */
public final class Misuse {
    /** Set by the agent's premain; tells "the agent is not running" apart from "it did not rewrite". */
    public static final String AGENT_PROPERTY = "dev.defer.agent";

    /**
     * Shows hidden frames too: every method of a hidden class ({@code Lookup.defineHiddenClass}) is one, and
     * such a class, which no agent ever sees, is the likeliest place for a {@code @Defers} method that was not
     * rewritten. The platform's own hidden frames are skipped by {@link #isPlumbing}.
     */
    private static final StackWalker WALKER = StackWalker.getInstance(
            EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

    /** How a hidden class gets rewritten: before it is defined, since no agent ever sees it. */
    private static final String HIDDEN_CLASS_REWRITE = "rewrite the class's bytes before they are defined, with java -jar"
            + " defer-agent.jar instrument IN OUT, the defer-maven-plugin, or"
            + " dev.defer.instrument.Instrumenter.instrument(bytes) on the bytes passed to defineHiddenClass";

    /** Why a hidden class's {@code @Defers} method was not rewritten, and the fix. */
    private static final String HIDDEN_CLASS_FIX = "the method is in a hidden class (Lookup.defineHiddenClass), which no"
            + " Java agent ever sees, so the agent cannot rewrite it: " + HIDDEN_CLASS_REWRITE;

    /** The fix for a Kotlin lambda; the same words as the misuse scan's ({@code MisuseScanner}). */
    private static final String KOTLIN_LAMBDA = "a Kotlin lambda (or function reference) is compiled to a method or a"
            + " class of its own, never rewritten, and @Defers cannot be written on it; call Defer.defer in the"
            + " enclosing @Defers function instead (a lambda passed to an inline function, such as forEach, is part"
            + " of the function and may defer)";
    /** The fix for a Kotlin suspend lambda. */
    private static final String KOTLIN_SUSPEND_LAMBDA = "a Kotlin suspend lambda is a class of its own whose"
            + " invokeSuspend returns at each suspension, so it can be neither annotated nor rewritten; call"
            + " Defer.defer in a @Defers function (a suspend one too) that the lambda calls, or use try/finally";

    private Misuse() {
    }

    /**
     * Kotlin's lambda bodies: a method named {@code f$lambda$0} (invokedynamic lambdas, not synthetic), or a
     * method of a synthetic class that is not a JDK lambda proxy (Kotlin's lambda and function reference
     * classes under {@code -Xlambdas=class}, {@code -Xsam-conversions=class}).
     */
    private static boolean isKotlinLambda(StackFrame frame) {
        Class<?> owner = frame.getDeclaringClass();
        String name = frame.getMethodName();
        // javac's lambda$lambda$4 (a lambda in a method named lambda) is javac's, told apart by its prefix.
        return !name.startsWith("lambda$") && name.contains("$lambda$") || owner.isSynthetic() && !owner.isHidden();
    }

    private static boolean isKotlinSuspendLambda(Class<?> type) {
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            String name = c.getName();
            if (name.equals("kotlin.coroutines.jvm.internal.SuspendLambda")
                    || name.equals("kotlin.coroutines.jvm.internal.RestrictedSuspendLambda")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error for a {@code Defer.defer} call that the agent did not replace.
     *
     * @param operation the API method reached, e.g. {@code Defer.defer}
     * @return the exception to throw
     */
    public static IllegalStateException notRewritten(String operation) {
        Optional<StackFrame> caller = caller();
        String where = caller.map(Misuse::describe).orElse("an unknown method");
        StringBuilder message = new StringBuilder(operation).append(" called in ").append(where)
                .append(", a method the defer agent did not rewrite. Fix: ");
        boolean agentRunning = System.getProperty(AGENT_PROPERTY) != null;
        boolean hidden = caller.isPresent() && caller.get().getDeclaringClass().isHidden();
        if (caller.isPresent() && isKotlinSuspendLambda(caller.get().getDeclaringClass())) {
            message.append(KOTLIN_SUSPEND_LAMBDA);
        } else if (caller.isPresent() && isKotlinLambda(caller.get())) {
            message.append(KOTLIN_LAMBDA);
        } else if (caller.isPresent() && caller.get().getMethodName().startsWith("lambda$")) {
            message.append("a lambda body is a method of its own; call ").append(operation)
                    .append(" in the enclosing @Defers method instead, as Go's defer belongs to the function"
                            + " that runs it");
        } else if (caller.isPresent() && isConstructorOrInitializer(caller.get())) {
            // Checked before the annotation: a @Defers type covers its methods, never its constructors.
            message.append("constructors and static initialisers are never rewritten; move the code that"
                    + " defers into a @Defers method");
        } else if (caller.isPresent() && isAnnotated(caller.get())) {
            // A rewritten hidden class has no such call left in its @Defers methods: its bytes were not rewritten.
            message.append(hidden ? HIDDEN_CLASS_FIX
                    : agentRunning
                    ? "the method is annotated @Defers, but the agent could not rewrite its class: see the"
                            + " 'defer-agent: cannot rewrite' line on stderr, printed when the class was loaded (or,"
                            + " for a class loaded on a thread with almost no stack left, at the next class load or"
                            + " the JVM's exit), which says why"
                    : "the method is annotated @Defers, but the agent is not running: start the JVM with"
                            + " -javaagent:path/to/defer-agent.jar, or rewrite the classes at build time"
                            + " (defer-maven-plugin, or java -jar defer-agent.jar instrument IN OUT)"
                            + BuildOutput.hint(caller.get().getDeclaringClass()));
        } else {
            message.append("annotate the method (or its class) with @dev.defer.Defers");
            if (hidden) {
                message.append(", and, since it is in a hidden class (Lookup.defineHiddenClass), which no Java"
                        + " agent ever sees, ").append(HIDDEN_CLASS_REWRITE);
            } else if (!agentRunning) {
                message.append(" and start the JVM with -javaagent:path/to/defer-agent.jar (or rewrite the"
                        + " classes at build time)");
            }
        }
        return new IllegalStateException(message.toString());
    }

    /**
     * The error for {@code Defer.result()} or {@code Defer.setResult()} with no active invocation.
     *
     * @param operation the API method reached
     * @return the exception to throw
     */
    public static IllegalStateException noInvocation(String operation) {
        Optional<StackFrame> caller = caller();
        String where = caller.map(Misuse::describe).orElse("an unknown method");
        String fix = "call it in the body or a deferred call of a @Defers method"
                + (caller.isPresent() && caller.get().getDeclaringClass().isHidden()
                        ? "; that method is in a hidden class (Lookup.defineHiddenClass), which no Java agent ever"
                                + " sees: " + HIDDEN_CLASS_REWRITE
                        : " (run with -javaagent:path/to/defer-agent.jar)");
        return new IllegalStateException(operation + "() called in " + where
                + ", but no @Defers invocation is active on this thread. Fix: " + fix);
    }

    private static Optional<StackFrame> caller() {
        return WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.defer.internal.")
                        && !f.getClassName().equals("dev.defer.Defer") && !isPlumbing(f.getDeclaringClass()))
                .findFirst());
    }

    /**
     * The frames a default walk would hide, which are never the code that called the API: lambda proxies
     * (hidden and synthetic; {@code Defer::defer} is called through one), method handle and reflection
     * internals.
     */
    private static boolean isPlumbing(Class<?> type) {
        String name = type.getName();
        return Recovery.isLambdaPlumbing(type) || name.startsWith("java.lang.reflect.")
                || name.startsWith("jdk.internal.reflect.");
    }

    private static String describe(StackFrame frame) {
        String file = frame.getFileName();
        String inlined = file != null && file.endsWith(".kt")
                ? KotlinLines.describe(frame.getDeclaringClass(), frame.getLineNumber()) : null;
        String line = inlined != null ? ":" + inlined : frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "";
        return frame.getClassName() + "." + frame.getMethodName()
                + (file == null ? "" : " (" + file + line + ")");
    }

    private static boolean isConstructorOrInitializer(StackFrame frame) {
        return frame.getMethodName().equals("<init>") || frame.getMethodName().equals("<clinit>");
    }

    private static boolean isAnnotated(StackFrame frame) {
        Class<?> owner = frame.getDeclaringClass();
        if (owner.isAnnotationPresent(Defers.class)) {
            return true;
        }
        try {
            Method method = owner.getDeclaredMethod(frame.getMethodName(), frame.getMethodType().parameterArray());
            return method.isAnnotationPresent(Defers.class);
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }
}
