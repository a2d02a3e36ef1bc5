package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.internal.DeferSupport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** The rewrite and the runtime agree on the ABI: its version, and the entry points the rewrite names. */
class RuntimeAbiTest {

    @Test
    void theVersionWrittenIntoRewrittenClassesIsTheRuntimes() {
        assertEquals(DeferSupport.ABI_VERSION, RuntimeAbi.VERSION);
    }

    @Test
    void everyResultConversionExistsWithTheDescriptorTheExpansionCalls() {
        for (Type declared : new Type[] {Type.BOOLEAN_TYPE, Type.BYTE_TYPE, Type.CHAR_TYPE, Type.SHORT_TYPE,
                Type.INT_TYPE, Type.LONG_TYPE, Type.FLOAT_TYPE, Type.DOUBLE_TYPE, Type.getType(String.class),
                Type.getType(int[].class)}) {
            Type slot = RuntimeAbi.erased(declared);
            String descriptor = slot.getSort() == Type.OBJECT
                    ? "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;"
                    : "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)" + slot.getDescriptor();
            assertTrue(hasPublicStatic(RuntimeAbi.resultConversion(declared), descriptor),
                    RuntimeAbi.resultConversion(declared) + descriptor + " for " + declared);
        }
        assertTrue(hasPublicStatic(DeferredLambdas.RECOVER_IN_DEFERRED_CALL, "()Ljava/lang/Object;"));
    }

    private static boolean hasPublicStatic(String name, String descriptor) {
        for (Method method : DeferSupport.class.getMethods()) {
            if (method.getName().equals(name) && Type.getMethodDescriptor(method).equals(descriptor)
                    && Modifier.isStatic(method.getModifiers())) {
                return true;
            }
        }
        return false;
    }
}
