package dev.defer.benchmarks;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the agent costs a program that has no {@code @Defers} code: the time to define {@value #CLASSES} generated
 * classes (none with {@code @Defers}, about 1.5 KB each: fields, a constructor, methods with loops, a switch, a
 * {@code try}/{@code catch}, string constants and an annotation) in a fresh class loader, with the agent's
 * transformer installed and without ({@code define...}); and, closer to a program's own class loading, the time to
 * load the same classes from a jar through a new {@code URLClassLoader}, verifying and initialising each
 * ({@code loadFromJar...}).
 *
 * <p><b>How one command measures both.</b> A JMH fork gets the host JVM's arguments unless {@code @Fork(jvmArgs)}
 * replaces them ({@code jvmArgsAppend} adds to them). The host runs as {@code java -javaagent:defer-agent.jar -jar
 * benchmarks.jar}, so:
 * <ul>
 *   <li>{@code ...WithAgent} uses {@code @Fork(jvmArgsAppend = ForkArgs...)}: the host's arguments, the
 *       {@code -javaagent} among them, then the fixed heap settings every fork gets ({@link ForkArgs});</li>
 *   <li>{@code ...WithoutAgent} uses {@code @Fork(jvmArgs = ForkArgs...)}: the same heap settings alone, which
 *       replace the host's arguments, so no agent.</li>
 * </ul>
 * An annotation cannot compute a path from a system property, which is why the agent's argument is inherited
 * rather than written here. Both forks then differ by the {@code -javaagent} argument alone (when the host is
 * started with nothing else; JMH's JSON records each fork's arguments, and the report prints them), and the
 * trial setup proves each fork is what its name says: it runs a {@code @Defers} method, which only works under
 * the agent, and fails the benchmark if the agent is present in a {@code ...WithoutAgent} fork or missing in
 * a {@code ...WithAgent} one.
 *
 * <p>{@code defineWithNoopAgent} is the reference that splits the difference: the same definitions under
 * {@link NoopAgent}, whose transformer returns {@code null} for every class and does nothing else. What it costs
 * over {@code defineWithoutAgent} is the price of any {@code java.lang.instrument} agent (the JVM's class-file-load
 * hook, the copy of each class file into a new {@code byte[]}, the class name as a {@code String}, the call into
 * {@code TransformerManager}); what {@code defineWithAgent} costs over it is the defer agent's own work. Its fork
 * starts without an agent and attaches the no-op agent to itself ({@code -Djdk.attach.allowAttachSelf=true}),
 * because an annotation cannot name the jar's path; the class-file-load hook is the same for an attached agent.
 * {@link ClassLoadInterleaved} measures the three paired in one JVM.
 *
 * <p>Each measured operation is one single shot: every class in a new loader. Before each shot a
 * {@code System.gc()} unloads the classes of the previous one, outside the measurement. The class bytes are
 * generated once per fork, so a {@code define} shot times the JVM's parsing and defining plus the agent's work
 * (the JVM copies each class file into a {@code byte[]} for the transformer, which scans it for
 * {@code Ldev/defer/Defers;} and returns {@code null}, no change). Defining alone is the strictest measure: reading
 * the class files from a jar, verifying and initialising them, as {@code loadFromJar} does, add the same time to
 * both variants and dilute the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 20, batchSize = 1)
public class ClassLoadBenchmark {
    static final int CLASSES = 5000;

    private String[] names;
    private byte[][] classFiles;
    private Path jar;

    @Setup(Level.Trial)
    public void generate(BenchmarkParams params) throws IOException {
        String benchmark = params.getBenchmark();
        boolean expectAgent = benchmark.endsWith("WithAgent");
        boolean agent = AgentCheck.agentActive();
        if (agent != expectAgent) {
            throw new IllegalStateException(benchmark + " expects the agent to be "
                    + (expectAgent ? "present" : "absent") + " but it is " + (agent ? "present" : "absent")
                    + "; -javaagent arguments of this fork: " + AgentCheck.agentArguments());
        }
        if (benchmark.endsWith("WithNoopAgent")) {
            attachNoopAgent();
        }
        names = new String[CLASSES];
        classFiles = new byte[CLASSES][];
        for (int i = 0; i < CLASSES; i++) {
            String internalName = "gen/p" + (i % 50) + "/Generated" + i;
            names[i] = internalName.replace('/', '.');
            classFiles[i] = generateClass(internalName, i);
        }
        jar = Files.createTempFile("defer-classload-", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (int i = 0; i < CLASSES; i++) {
                out.putNextEntry(new JarEntry(names[i].replace('.', '/') + ".class"));
                out.write(classFiles[i]);
                out.closeEntry();
            }
        }
    }

    @TearDown(Level.Trial)
    public void deleteJar() throws IOException {
        Files.deleteIfExists(jar);
    }

    /** Unloads the previous shot's classes before the next shot (not measured). */
    @Setup(Level.Iteration)
    public void collect() {
        System.gc();
    }

    /** Defines every class in a new loader, with the agent: the ratio issue 3 sets a target for. */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH})
    @Measurement(iterations = 30, batchSize = 1)
    public void defineWithAgent(Blackhole blackhole) {
        defineAll(blackhole);
    }

    @Benchmark
    @Fork(value = 3, jvmArgs = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH})
    @Measurement(iterations = 30, batchSize = 1)
    public void defineWithoutAgent(Blackhole blackhole) {
        defineAll(blackhole);
    }

    /**
     * Defines every class in a new loader, with a transformer that returns {@code null} for every class and does
     * nothing else ({@link NoopAgent}) instead of the defer agent: the floor for any {@code java.lang.instrument}
     * agent. The fork starts without an agent (as {@code defineWithoutAgent}) and attaches the no-op agent to
     * itself in the trial setup; {@code -Djdk.attach.allowAttachSelf=true} permits that.
     */
    @Benchmark
    @Fork(value = 3, jvmArgs = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH, ALLOW_ATTACH_SELF})
    @Measurement(iterations = 30, batchSize = 1)
    public void defineWithNoopAgent(Blackhole blackhole) {
        defineAll(blackhole);
    }

    static final String ALLOW_ATTACH_SELF = "-Djdk.attach.allowAttachSelf=true";

    /** Loads {@link NoopAgent} from the jar this class came from into this JVM, and checks that it is there. */
    static void attachNoopAgent() {
        if (NoopAgent.installed()) {
            return;
        }
        try {
            Path jar = Path.of(NoopAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the no-op agent must be loaded from benchmarks.jar, not " + jar);
            }
            com.sun.tools.attach.VirtualMachine self =
                    com.sun.tools.attach.VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
            try {
                self.loadAgent(jar.toString());
            } finally {
                self.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach the no-op agent (" + ALLOW_ATTACH_SELF + " missing?)", e);
        }
        if (!NoopAgent.installed()) {
            throw new IllegalStateException("the no-op agent did not install its transformer");
        }
    }

    /** Loads, links (verifies) and initialises every class from a jar through a new URLClassLoader. */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH})
    public void loadFromJarWithAgent(Blackhole blackhole) throws IOException, ClassNotFoundException {
        loadAll(blackhole);
    }

    @Benchmark
    @Fork(value = 3, jvmArgs = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH})
    public void loadFromJarWithoutAgent(Blackhole blackhole) throws IOException, ClassNotFoundException {
        loadAll(blackhole);
    }

    private void defineAll(Blackhole blackhole) {
        GeneratedLoader loader = new GeneratedLoader();
        for (int i = 0; i < CLASSES; i++) {
            blackhole.consume(loader.define(names[i], classFiles[i]));
        }
    }

    private void loadAll(Blackhole blackhole) throws IOException, ClassNotFoundException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoadBenchmark.class.getClassLoader())) {
            for (int i = 0; i < CLASSES; i++) {
                blackhole.consume(Class.forName(names[i], true, loader));
            }
        }
    }

    static final class GeneratedLoader extends ClassLoader {
        GeneratedLoader() {
            super("generated", ClassLoadBenchmark.class.getClassLoader());
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }

    /** The bytes of the class file of the generated class {@code internalName}. */
    static byte[] generateClass(String internalName, int seed) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object",
                new String[] {"java/lang/Runnable"});
        cw.visitSource("Generated" + seed + ".java", null);
        cw.visitField(Opcodes.ACC_PRIVATE, "count", "I", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE, "name", "Ljava/lang/String;", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "values", "[J", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "SEED", "I", null, seed)
                .visitEnd();

        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Ljava/lang/String;)V", null, null);
        mv.visitCode();
        Label start = new Label();
        mv.visitLabel(start);
        mv.visitLineNumber(10, start);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitFieldInsn(Opcodes.PUTFIELD, internalName, "name", "Ljava/lang/String;");
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitIntInsn(Opcodes.BIPUSH, 16);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_LONG);
        mv.visitFieldInsn(Opcodes.PUTFIELD, internalName, "values", "[J");
        mv.visitInsn(Opcodes.RETURN);
        Label end = new Label();
        mv.visitLabel(end);
        mv.visitLocalVariable("this", "L" + internalName + ";", null, start, end, 0);
        mv.visitLocalVariable("name", "Ljava/lang/String;", null, start, end, 1);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // run(): for (int i = 0; i < values.length; i++) { values[i] += i * SEED; count++; }
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        mv.visitCode();
        Label loopStart = new Label();
        mv.visitLabel(loopStart);
        mv.visitLineNumber(20, loopStart);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, 1);
        Label test = new Label();
        Label body = new Label();
        mv.visitJumpInsn(Opcodes.GOTO, test);
        mv.visitLabel(body);
        mv.visitLineNumber(21, body);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "values", "[J");
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.DUP2);
        mv.visitInsn(Opcodes.LALOAD);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitLdcInsn(seed);
        mv.visitInsn(Opcodes.IMUL);
        mv.visitInsn(Opcodes.I2L);
        mv.visitInsn(Opcodes.LADD);
        mv.visitInsn(Opcodes.LASTORE);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "count", "I");
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitFieldInsn(Opcodes.PUTFIELD, internalName, "count", "I");
        mv.visitIincInsn(1, 1);
        mv.visitLabel(test);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "values", "[J");
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitJumpInsn(Opcodes.IF_ICMPLT, body);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // toString(): name + "#" + count + " of " + SEED
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "name", "Ljava/lang/String;");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        mv.visitLdcInsn("#generated-" + seed + " count ");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "count", "I");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(I)Ljava/lang/StringBuilder;", false);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "toString",
                "()Ljava/lang/String;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // Getters and setters, one of them @Deprecated (a runtime-visible annotation that is not @Defers).
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "getCount", "()I", null, null);
        mv.visitAnnotation("Ljava/lang/Deprecated;", true).visitEnd();
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, internalName, "count", "I");
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "setName", "(Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "requireNonNull",
                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
        mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
        mv.visitFieldInsn(Opcodes.PUTFIELD, internalName, "name", "Ljava/lang/String;");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static int mix(int a, int b): a switch on a % 4
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "mix", "(II)I", null, null);
        mv.visitCode();
        Label[] cases = {new Label(), new Label(), new Label(), new Label()};
        Label otherwise = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitInsn(Opcodes.ICONST_4);
        mv.visitInsn(Opcodes.IREM);
        mv.visitTableSwitchInsn(0, 3, otherwise, cases);
        for (int c = 0; c < cases.length; c++) {
            mv.visitLabel(cases[c]);
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitInsn(c % 2 == 0 ? Opcodes.IADD : Opcodes.IXOR);
            mv.visitLdcInsn(seed + c);
            mv.visitInsn(Opcodes.IMUL);
            mv.visitInsn(Opcodes.IRETURN);
        }
        mv.visitLabel(otherwise);
        mv.visitInsn(Opcodes.ICONST_M1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static String describe(Object o): a try/catch
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "describe", "(Ljava/lang/Object;)Ljava/lang/String;",
                null, null);
        mv.visitCode();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, "java/lang/RuntimeException");
        mv.visitLabel(tryStart);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf",
                "(Ljava/lang/Object;)Ljava/lang/String;", false);
        mv.visitLabel(tryEnd);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitLabel(handler);
        mv.visitInsn(Opcodes.POP);
        mv.visitLdcInsn("<unprintable " + internalName + ">");
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        cw.visitEnd();
        return cw.toByteArray();
    }
}
