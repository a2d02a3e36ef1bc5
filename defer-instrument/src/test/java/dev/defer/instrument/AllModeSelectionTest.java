package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.AllModeShapes;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jacoco.core.instr.Instrumenter;
import org.jacoco.core.runtime.OfflineInstrumentationAccessGenerator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods the {@code all=} test mode takes: what the source declares, lambda bodies included, and
 * none of the synthetic methods that compilers or other tools add (bridges, JaCoCo's {@code $jacocoInit}).
 */
class AllModeSelectionTest {
    private static final List<String> ALL = List.of(AllModeShapes.class.getPackageName());
    private static final Set<String> DECLARED = Set.of("doubled()I",
            "compareTo(Ldev/defer/instrument/targets/AllModeShapes;)I", "lambda$doubled$0()I");

    @Test
    void declaredMethodsAndLambdaBodiesAreTakenBridgesAreNot() throws Exception {
        byte[] original = RewriteTestSupport.bytesOf(AllModeShapes.class);
        assertTrue(methodsOf(original).contains("compareTo(Ljava/lang/Object;)I"), "javac wrote the bridge");

        dev.defer.instrument.Instrumenter.Result result = new dev.defer.instrument.Instrumenter(ALL).instrument(original);

        assertNotNull(result);
        assertEquals(DECLARED, new TreeSet<>(result.methods()));
        assertEquals("", RewriteTestSupport.verify(result.classFile()));
    }

    /** JaCoCo's offline instrumentation (the same probes its agent adds at load) as the class the agent sees. */
    @Test
    void jacocosInjectedInitIsLeftAlone() throws Exception {
        byte[] original = RewriteTestSupport.bytesOf(AllModeShapes.class);
        byte[] covered = new Instrumenter(new OfflineInstrumentationAccessGenerator())
                .instrument(original, AllModeShapes.class.getName());
        MethodNode init = method(covered, "$jacocoInit");
        assertNotNull(init, "JaCoCo added its init method");
        assertTrue((init.access & Opcodes.ACC_SYNTHETIC) != 0, "JaCoCo marks it synthetic");

        dev.defer.instrument.Instrumenter.Result result = new dev.defer.instrument.Instrumenter(ALL).instrument(covered);

        assertNotNull(result);
        assertEquals(DECLARED, new TreeSet<>(result.methods()));
        MethodNode after = method(result.classFile(), "$jacocoInit");
        assertEquals(init.instructions.size(), after.instructions.size(), "$jacocoInit's code is unchanged");
        assertEquals(init.maxLocals, after.maxLocals);
    }

    private static Set<String> methodsOf(byte[] classFile) {
        Set<String> methods = new TreeSet<>();
        for (MethodNode method : node(classFile).methods) {
            methods.add(method.name + method.desc);
        }
        return methods;
    }

    private static MethodNode method(byte[] classFile, String name) {
        for (MethodNode method : node(classFile).methods) {
            if (method.name.equals(name)) {
                return method;
            }
        }
        return null;
    }

    private static ClassNode node(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }
}
