package dev.defer.instrument;

import org.objectweb.asm.Type;

/**
 * The words of the verbose lines that the agent, the plugin and the command line print for each rewritten
 * method: the method as a Java programmer names it ({@code copy(Path, int[])} rather than the JVM's
 * {@code copy(Ljava/nio/file/Path;[I)V}; the return type is left out, as Java cannot overload on it), and, once,
 * what the strategy that ends each line means.
 */
public final class VerboseText {
    /** What the strategy at the end of each "rewrote" line means: printed once, before those lines. */
    public static final String STRATEGIES = "a rewritten method with Defer.defer calls ends with how it keeps"
            + " them: (N open-coded) in its own locals, run inline at its exit, no runtime call unless it panics;"
            + " (N stack-style, M pooled) as records on the thread's defer stack, the M pooled ones registered in"
            + " a loop; (N lazy) a loop's, its first call without arguments kept in a local and run inline at the"
            + " exit, the runtime entered at the second; (N on the coroutine) a Kotlin suspend function's, kept"
            + " with its coroutine and run when it completes";

    private VerboseText() {
    }

    /**
     * @param panicSites how many {@code Defer.panic} calls of a class became {@code invokedynamic}
     * @return e.g. {@code 2 Defer.panic call sites}: what the verbose line of a class rewritten for these alone says
     */
    public static String panicSites(int panicSites) {
        return panicSites + " Defer.panic call site" + (panicSites == 1 ? "" : "s")
                + " (the Panic's trace starts at the caller)";
    }

    /**
     * @param method a method as {@link Instrumenter.Result#methods()} names it: a name and a method descriptor,
     *     then possibly what follows them, e.g. {@code work(ILjava/lang/String;)V (2 open-coded)}
     * @return the name and the simple names of the parameter types, then what followed the descriptor, e.g.
     *     {@code work(int, String) (2 open-coded)}; the text as it was when it does not start with a name and
     *     a method descriptor
     */
    public static String method(String method) {
        int open = method.indexOf('(');
        int close = method.indexOf(')', open + 1);
        int end = close < 0 ? -1 : endOfType(method, close + 1);
        if (open <= 0 || end < 0) {
            return method;
        }
        Type[] parameters;
        try {
            parameters = Type.getArgumentTypes(method.substring(open, end));
        } catch (RuntimeException e) {
            return method;
        }
        StringBuilder text = new StringBuilder(method.substring(0, open)).append('(');
        for (int i = 0; i < parameters.length; i++) {
            text.append(i == 0 ? "" : ", ").append(simpleName(parameters[i].getClassName()));
        }
        return text.append(')').append(method, end, method.length()).toString();
    }

    /** Where the type descriptor that starts at {@code start} ends, or -1 when there is none. */
    private static int endOfType(String text, int start) {
        int i = start;
        while (i < text.length() && text.charAt(i) == '[') {
            i++;
        }
        if (i >= text.length()) {
            return -1;
        }
        if (text.charAt(i) == 'L') {
            int semicolon = text.indexOf(';', i);
            return semicolon < 0 ? -1 : semicolon + 1;
        }
        return "VZBCSIJFD".indexOf(text.charAt(i)) < 0 ? -1 : i + 1;
    }

    /** {@code java.util.Map$Entry[]} is {@code Map.Entry[]}. */
    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }
}
