package dev.defer.instrument;

import org.objectweb.asm.Type;

/**
 * A rewritten method as a Java programmer names it, for the lines the agent, the plugin and the command line
 * print: {@code copy(Path, int[])} rather than the JVM's {@code copy(Ljava/nio/file/Path;[I)V}. The return
 * type is left out, as in a stack trace: Java cannot overload on it.
 */
public final class JavaSignature {
    private JavaSignature() {
    }

    /**
     * @param nameAndDescriptor a method as {@link Instrumenter.Result#methods()} names it, e.g.
     *     {@code work(ILjava/lang/String;)V}
     * @return the name and the simple names of the parameter types, e.g. {@code work(int, String)}; the text
     *     as it was when it is not a name followed by a method descriptor
     */
    public static String of(String nameAndDescriptor) {
        int open = nameAndDescriptor.indexOf('(');
        if (open <= 0) {
            return nameAndDescriptor;
        }
        Type[] parameters;
        try {
            parameters = Type.getArgumentTypes(nameAndDescriptor.substring(open));
        } catch (RuntimeException e) {
            return nameAndDescriptor;
        }
        StringBuilder text = new StringBuilder(nameAndDescriptor.substring(0, open)).append('(');
        for (int i = 0; i < parameters.length; i++) {
            text.append(i == 0 ? "" : ", ").append(simpleName(parameters[i].getClassName()));
        }
        return text.append(')').toString();
    }

    /** {@code java.util.Map$Entry[]} is {@code Map.Entry[]}. */
    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }
}
