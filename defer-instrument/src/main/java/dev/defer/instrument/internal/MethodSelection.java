package dev.defer.instrument.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of a class the rewrite takes: the one rule shared by {@link ClassRewriter} and the misuse scan,
 * so that "rewritten" and "not misuse" can never disagree.
 */
public final class MethodSelection {
    static final String DEFERS_DESCRIPTOR = "Ldev/defer/Defers;";

    private final boolean all;
    private final boolean typeLevel;

    /**
     * @param node the class, read with its annotations
     * @param all whether the class is in an {@code all=} package (every method with a body is taken)
     */
    public MethodSelection(ClassNode node, boolean all) {
        this.all = all;
        this.typeLevel = hasDefers(node.visibleAnnotations) || hasDefers(node.invisibleAnnotations);
    }

    /**
     * @param method a method of the class
     * @return whether it carries {@code @Defers} itself
     */
    public static boolean isAnnotated(MethodNode method) {
        return hasDefers(method.visibleAnnotations) || hasDefers(method.invisibleAnnotations);
    }

    /**
     * @param method a method of the class
     * @return whether the rewrite takes it (an annotated constructor is not taken: it is an error of its own)
     */
    public boolean isSelected(MethodNode method) {
        if (isInitializer(method)) {
            return false;
        }
        return isAnnotated(method) || all && hasBody(method) || typeLevel && isEligibleForType(method);
    }

    /**
     * @param method a method
     * @return whether it is a constructor or a static initialiser
     */
    public static boolean isInitializer(MethodNode method) {
        return method.name.equals("<init>") || method.name.equals("<clinit>");
    }

    private static boolean hasBody(MethodNode method) {
        return (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /** {@code @Defers} on a type covers the methods written in it, not compiler-generated ones. */
    private static boolean isEligibleForType(MethodNode method) {
        return hasBody(method) && (method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0;
    }

    private static boolean hasDefers(List<AnnotationNode> annotations) {
        if (annotations != null) {
            for (AnnotationNode annotation : annotations) {
                if (annotation.desc.equals(DEFERS_DESCRIPTOR)) {
                    return true;
                }
            }
        }
        return false;
    }
}
