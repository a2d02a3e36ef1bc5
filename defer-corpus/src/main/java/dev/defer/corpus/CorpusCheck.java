package dev.defer.corpus;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Rewrites every class of some jars as the agent's {@code all=} mode would (every package of the jar is
 * a prefix), then checks each rewritten class twice: with ASM's {@link CheckClassAdapter} (structure, then
 * data flow with a {@code SimpleVerifier} that resolves the jar's classes), and with the JVM's own
 * verifier, by defining the class in a fresh class loader and linking it without initialising it.
 *
 * <p>A check that fails on the rewritten class is run again on the original class: when the original
 * fails the same way (an optional dependency absent from the class path, say), the failure is the
 * environment's and is reported as such, with its message; otherwise it is the rewrite's, and the run
 * fails. The run also fails on a class left unchanged although it has methods to rewrite, and on a class
 * the instrumenter refused without a message.
 *
 * <p>Arguments: {@code --lib-dir=DIR} (every jar there is on the verifiers' class path),
 * {@code --jars=a.jar,b.jar} (the jars under test, file names in the lib dir), {@code --report=FILE}
 * (a Markdown copy of the table), {@code --failures-dir=DIR} (original and rewritten class files of each
 * failure, for javap).
 */
public final class CorpusCheck {
    private static final int JAVA_FEATURE = Runtime.version().feature();

    private CorpusCheck() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Path libDir = Paths.get(require(options, "lib-dir"));
        List<String> jars = List.of(require(options, "jars").split(","));
        Path report = options.containsKey("report") ? Paths.get(options.get("report")) : null;
        Path failuresDir = Paths.get(options.getOrDefault("failures-dir", "corpus-failures"));

        selfTest();

        List<URL> classPath = new ArrayList<>();
        try (Stream<Path> files = Files.list(libDir)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList())) {
                classPath.add(jar.toUri().toURL());
            }
        }
        classPath.add(runtimeLocation());
        System.out.println("class path of both verifiers: " + classPath.stream()
                .map(u -> Paths.get(toUri(u)).getFileName().toString()).collect(Collectors.joining(", ")));

        long start = System.nanoTime();
        List<JarResult> results = new ArrayList<>();
        for (String jar : jars) {
            Path path = libDir.resolve(jar.trim());
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no such jar: " + path);
            }
            JarResult result = checkJar(path, classPath, failuresDir);
            results.add(result);
            System.out.println(result.summary());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        String table = table(results);
        StringBuilder details = new StringBuilder();
        for (JarResult r : results) {
            details.append(r.details());
        }
        System.out.println();
        System.out.println(table);
        System.out.println(details);
        int broken = results.stream().mapToInt(JarResult::brokenCount).sum();
        String verdict = broken == 0
                ? "corpus check passed: no verifier failure, no skip without a reason"
                : "corpus check FAILED: " + broken + " class(es) broken by the rewrite or skipped without a"
                        + " reason; original and rewritten class files are in " + failuresDir;
        String footer = String.format(Locale.ROOT, "%s (%.1f s, Java %s, %d jars)", verdict, seconds,
                Runtime.version(), results.size());
        System.out.println(footer);
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, table + "\n" + details + "\n" + footer + "\n");
            System.out.println("report: " + report);
        }
        if (broken != 0) {
            System.exit(1);
        }
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }

    private static java.net.URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Where defer-runtime is (a jar or a classes directory): the rewritten classes call into it. */
    private static URL runtimeLocation() throws ClassNotFoundException {
        return Class.forName("dev.defer.internal.DeferSupport").getProtectionDomain().getCodeSource().getLocation();
    }

    private static JarResult checkJar(Path jarPath, List<URL> classPath, Path failuresDir) throws IOException {
        JarResult result = new JarResult(jarPath.getFileName().toString());
        // The jar's classes as a Java 17 runtime sees them: a multi-release entry for a version up to 17
        // replaces the base entry of that name.
        Map<String, byte[]> originals = new HashMap<>();
        Map<String, Integer> versions = new HashMap<>();
        Map<String, byte[]> asLoaded = new HashMap<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            // The class files, and every package they are in: the all= prefixes that cover the whole jar.
            List<JarEntry> entries = new ArrayList<>();
            TreeSet<String> prefixes = new TreeSet<>();
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && entry.getName().endsWith(".class")) {
                    entries.add(entry);
                    String name = entry.getName();
                    if (name.startsWith("META-INF/versions/")) {
                        name = name.substring(name.indexOf('/', "META-INF/versions/".length()) + 1);
                    }
                    int slash = name.lastIndexOf('/');
                    // A class of the unnamed package is its own prefix (a prefix also covers that exact class).
                    prefixes.add(slash < 0 ? name.substring(0, name.length() - ".class".length())
                            : name.substring(0, slash).replace('/', '.'));
                }
            }
            Instrumenter instrumenter = new Instrumenter(new ArrayList<>(prefixes));
            result.packages = prefixes.size();
            try (URLClassLoader loader = new URLClassLoader("corpus-asm-" + result.jar, classPath.toArray(new URL[0]),
                    ClassLoader.getPlatformClassLoader())) {
                for (JarEntry entry : entries) {
                    checkClass(jar, entry, instrumenter, loader, result, failuresDir, originals, versions, asLoaded);
                }
            }
        }
        jvmCheckJar(jarPath, classPath, originals, asLoaded, result, failuresDir);
        return result;
    }

    private static void checkClass(JarFile jar, JarEntry entry, Instrumenter instrumenter, ClassLoader loader,
            JarResult result, Path failuresDir, Map<String, byte[]> originals, Map<String, Integer> versions,
            Map<String, byte[]> asLoaded) throws IOException {
        String entryName = entry.getName();
        result.classes++;
        if (entryName.equals("module-info.class") || entryName.endsWith("/module-info.class")) {
            result.notApplicable(entryName, "a module descriptor, no code");
            return;
        }
        int version = 0;
        if (entryName.startsWith("META-INF/versions/")) {
            version = Integer.parseInt(entryName.substring(18, entryName.indexOf('/', 18)));
        }
        // A multi-release entry for a newer Java is rewritten and checked by ASM, but this JVM cannot load it.
        boolean loadable = version <= JAVA_FEATURE;
        if (!loadable) {
            result.notApplicable(entryName, "a multi-release entry for Java " + version
                    + ": rewritten and checked by CheckClassAdapter, but newer than this JVM, so not linked");
        }
        byte[] original;
        try (InputStream in = jar.getInputStream(entry)) {
            original = in.readAllBytes();
        }
        String className = new ClassReader(original).getClassName();
        String label = version == 0 ? className : className + " (Java " + version + ")";
        int eligible = eligibleMethods(original);
        byte[] loaded = original;
        try {
            long t0 = System.nanoTime();
            Instrumenter.Result rewritten;
            try {
                rewritten = instrumenter.instrument(original);
            } catch (InstrumentationException e) {
                result.rewriteNanos += System.nanoTime() - t0;
                result.rewriteTimed++;
                String message = e.getMessage();
                if (message == null || message.isBlank()) {
                    result.broken(label, "refused by the instrumenter WITHOUT a reason: " + e);
                    dump(failuresDir, result.jar, className, original, null, String.valueOf(e));
                } else {
                    result.skip(label, message);
                }
                return;
            }
            result.rewriteNanos += System.nanoTime() - t0;
            result.rewriteTimed++;
            if (rewritten == null) {
                if (eligible == 0) {
                    result.unchanged++;
                } else {
                    result.broken(label, "left unchanged WITHOUT a reason, although " + eligible
                            + " method(s) have a body");
                    dump(failuresDir, result.jar, className, original, null, "left unchanged");
                }
                return;
            }
            result.rewrittenClasses++;
            result.rewrittenMethods += rewritten.methods().size();
            if (rewritten.methods().size() != eligible) {
                result.broken(label, rewritten.methods().size() + " method(s) rewritten of " + eligible
                        + " with a body, WITHOUT a reason: " + rewritten.methods());
            }
            byte[] bytes = rewritten.classFile();
            loaded = bytes;
            long t1 = System.nanoTime();
            String asm = asmCheck(bytes, loader);
            if (asm != null) {
                String before = asmCheck(original, loader);
                if (before == null) {
                    result.asmFailures++;
                    result.broken(label, "CheckClassAdapter: " + asm);
                    dump(failuresDir, result.jar, className, original, bytes, asm);
                } else {
                    result.environment(label, "CheckClassAdapter fails on the original too: " + firstLine(before));
                }
            }
            result.checkNanos += System.nanoTime() - t1;
        } finally {
            if (loadable && version >= versions.getOrDefault(className, -1)) {
                versions.put(className, version);
                originals.put(className, original);
                asLoaded.put(className, loaded);
            }
        }
    }

    /**
     * The JVM's verifier: the whole jar, rewritten as the agent would rewrite it (a class the instrumenter
     * skipped stays as it was), is defined by one class loader, whose parent sees the other jars and
     * defer-runtime; each rewritten class is loaded and linked there, and a class that fails is loaded and
     * linked again from a loader of the original jar.
     */
    private static void jvmCheckJar(Path jarPath, List<URL> classPath, Map<String, byte[]> originals,
            Map<String, byte[]> asLoaded, JarResult result, Path failuresDir) throws IOException {
        List<URL> others = new ArrayList<>(classPath);
        others.remove(jarPath.toUri().toURL());
        try (URLClassLoader parent = new URLClassLoader("corpus-deps-" + result.jar, others.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            JarClassLoader rewrittenJar = new JarClassLoader("corpus-rewritten-" + result.jar, asLoaded, parent);
            JarClassLoader originalJar = null;
            List<String> names = new ArrayList<>(asLoaded.keySet());
            names.sort(null);
            for (String className : names) {
                byte[] bytes = asLoaded.get(className);
                if (bytes == originals.get(className)) {
                    continue; // not rewritten: nothing of ours to verify
                }
                long t0 = System.nanoTime();
                String jvm = link(rewrittenJar, className);
                if (jvm != null) {
                    if (originalJar == null) {
                        originalJar = new JarClassLoader("corpus-original-" + result.jar, originals, parent);
                    }
                    String before = link(originalJar, className);
                    if (before == null) {
                        result.jvmFailures++;
                        result.broken(className, "JVM verifier: " + jvm);
                        dump(failuresDir, result.jar, className, originals.get(className), bytes, jvm);
                    } else {
                        result.environment(className, "the JVM rejects the original too: " + firstLine(before));
                    }
                }
                result.checkNanos += System.nanoTime() - t0;
            }
        }
    }

    /**
     * The methods the all= mode rewrites, restated here rather than asked of the rewrite so that a method it
     * leaves out for no reason is caught: every method with a body, except constructors and static
     * initialisers, Kotlin suspend functions (rewritten for their coroutine when annotated, left alone by
     * all=), and synthetic methods that are not lambda bodies (bridges, accessors, code other tools inject;
     * docs/agent.md). A lambda body is a method that a LambdaMetafactory call site of the class binds.
     */
    private static int eligibleMethods(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        java.util.Set<String> lambdaBodies = new java.util.HashSet<>();
        for (org.objectweb.asm.tree.MethodNode method : node.methods) {
            for (org.objectweb.asm.tree.AbstractInsnNode insn : method.instructions) {
                if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode) {
                    org.objectweb.asm.tree.InvokeDynamicInsnNode indy = (org.objectweb.asm.tree.InvokeDynamicInsnNode) insn;
                    if (indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory") && indy.bsmArgs.length >= 2
                            && indy.bsmArgs[1] instanceof org.objectweb.asm.Handle
                            && ((org.objectweb.asm.Handle) indy.bsmArgs[1]).getOwner().equals(node.name)) {
                        org.objectweb.asm.Handle body = (org.objectweb.asm.Handle) indy.bsmArgs[1];
                        lambdaBodies.add(body.getName() + body.getDesc());
                    }
                }
            }
        }
        int count = 0;
        for (org.objectweb.asm.tree.MethodNode method : node.methods) {
            boolean body = (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            boolean initializer = method.name.equals("<init>") || method.name.equals("<clinit>");
            boolean suspend = method.desc.endsWith("Lkotlin/coroutines/Continuation;)Ljava/lang/Object;");
            boolean generated = (method.access & Opcodes.ACC_SYNTHETIC) != 0
                    && !lambdaBodies.contains(method.name + method.desc);
            if (body && !initializer && !suspend && !generated) {
                count++;
            }
        }
        return count;
    }

    /**
     * ASM's checks: the structure with debug information (labels, line numbers, local variable ranges),
     * then each method's data flow with a SimpleVerifier that loads the classes it compares from
     * {@code loader} (never initialising them).
     *
     * @return null when both pass, or what they printed
     */
    static String asmCheck(byte[] classFile, ClassLoader loader) {
        StringWriter out = new StringWriter();
        PrintWriter printer = new PrintWriter(out);
        try {
            new ClassReader(classFile).accept(new CheckClassAdapter(new ClassNode(), false), 0);
            CheckClassAdapter.verify(new ClassReader(classFile), loader, false, printer);
        } catch (Throwable t) {
            printer.println(t);
        }
        printer.flush();
        return out.getBuffer().length() == 0 ? null : out.toString().trim();
    }

    /**
     * Loads a class without initialising it, then links it, which verifies it: HotSpot links a class
     * before it reflects on its members ({@code JVM_GetClassDeclaredFields} calls {@code link_class}), and
     * linking never runs the static initialiser. {@code Class.forName(name, false, loader)} alone loads
     * but does not link; {@link #selfTest} proves both points on a broken class.
     *
     * @return null when the class links, or the error
     */
    static String link(ClassLoader loader, String internalName) {
        try {
            Class.forName(internalName.replace('/', '.'), false, loader).getDeclaredFields();
            return null;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /**
     * Fails the run at once unless the checks can tell a broken class from a good one: a class that
     * returns a reference as an int must load without error and then fail {@link #link} with a
     * {@code VerifyError} and fail {@link #asmCheck}; a valid class whose static initialiser throws must
     * pass {@link #link} (had it been initialised, it would fail with ExceptionInInitializerError).
     */
    private static void selfTest() {
        ClassLoader parent = CorpusCheck.class.getClassLoader();
        String brokenName = "dev/defer/corpus/SelfTestBroken";
        byte[] broken = selfTestClass(brokenName, true);
        Map<String, byte[]> brokenJar = Map.of(brokenName, broken);
        try {
            Class.forName(brokenName.replace('/', '.'), false, new JarClassLoader("self-test", brokenJar, parent));
        } catch (Throwable t) {
            throw new IllegalStateException("self test: loading the class already fails: " + t, t);
        }
        String jvm = link(new JarClassLoader("self-test", brokenJar, parent), brokenName);
        if (jvm == null || !jvm.startsWith("java.lang.VerifyError")) {
            throw new IllegalStateException("self test: the JVM check does not detect a verify error: " + jvm);
        }
        if (asmCheck(broken, parent) == null) {
            throw new IllegalStateException("self test: CheckClassAdapter does not detect a verify error");
        }
        String validName = "dev/defer/corpus/SelfTestValid";
        byte[] valid = selfTestClass(validName, false);
        String validLink = link(new JarClassLoader("self-test", Map.of(validName, valid), parent), validName);
        if (validLink != null) {
            throw new IllegalStateException("self test: linking a valid class fails or initialises it: " + validLink);
        }
        if (asmCheck(valid, parent) != null) {
            throw new IllegalStateException("self test: CheckClassAdapter refuses a valid class");
        }
        System.out.println("self test: a class that loads fine with Class.forName(name, false, loader) is refused"
                + " by the JVM check (" + firstLine(jvm) + ") and by CheckClassAdapter; a valid class whose"
                + " static initialiser throws passes both, so linking does not initialise");
    }

    /** A class with a static initialiser that throws, and a method {@code ()I} returning null if broken, else 0. */
    private static byte[] selfTestClass(String name, boolean broken) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC, "field", "I", null, null).visitEnd();
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "value", "()I", null, null);
        method.visitCode();
        method.visitInsn(broken ? Opcodes.ACONST_NULL : Opcodes.ICONST_0);
        method.visitInsn(Opcodes.IRETURN);
        method.visitMaxs(1, 0);
        method.visitEnd();
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException"); // must never run
        init.visitInsn(Opcodes.DUP);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        init.visitInsn(Opcodes.ATHROW);
        init.visitMaxs(2, 0);
        init.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).trim();
    }

    private static void dump(Path dir, String jar, String className, byte[] original, byte[] rewritten, String why) {
        try {
            Path base = dir.resolve(jar).resolve(className);
            Files.createDirectories(base.getParent());
            Files.write(Paths.get(base + ".original.class"), original);
            if (rewritten != null) {
                Files.write(Paths.get(base + ".rewritten.class"), rewritten);
            }
            Files.writeString(Paths.get(base + ".txt"), why + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String table(List<JarResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| jar | class files | not linked here | rewritten | methods rewritten | nothing to rewrite"
                + " | refused, with reason | skipped without reason | CheckClassAdapter failures | JVM verifier failures"
                + " | original fails too | rewrite ms/class | check ms/class |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        JarResult total = new JarResult("**total**");
        for (JarResult r : results) {
            out.append(r.row());
            total.add(r);
        }
        out.append(total.row());
        return out.toString();
    }

    /** Defines the classes of one jar, given as bytes by internal name; asks its parent for every other. */
    static final class JarClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        JarClassLoader(String name, Map<String, byte[]> classes, ClassLoader parent) {
            super(name, parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] classFile = classes.get(name.replace('.', '/'));
            if (classFile == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, classFile, 0, classFile.length);
        }
    }

    static final class JarResult {
        final String jar;
        int packages;
        int classes;
        int rewrittenClasses;
        int rewrittenMethods;
        int unchanged;
        int asmFailures;
        int jvmFailures;
        int noReason;
        long rewriteNanos;
        int rewriteTimed;
        long checkNanos;
        final List<String> notApplicable = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<String> environment = new ArrayList<>();
        final List<String> broken = new ArrayList<>();

        JarResult(String jar) {
            this.jar = jar;
        }

        void notApplicable(String entry, String reason) {
            notApplicable.add(entry + ": " + reason);
        }

        void skip(String className, String reason) {
            skipped.add(className + ": " + reason);
        }

        void environment(String className, String reason) {
            environment.add(className + ": " + reason);
        }

        void broken(String className, String what) {
            if (what.contains("WITHOUT")) {
                noReason++;
            }
            broken.add(className + ": " + what);
        }

        int brokenCount() {
            return broken.size();
        }

        void add(JarResult r) {
            classes += r.classes;
            rewrittenClasses += r.rewrittenClasses;
            rewrittenMethods += r.rewrittenMethods;
            unchanged += r.unchanged;
            asmFailures += r.asmFailures;
            jvmFailures += r.jvmFailures;
            noReason += r.noReason;
            rewriteNanos += r.rewriteNanos;
            rewriteTimed += r.rewriteTimed;
            checkNanos += r.checkNanos;
            notApplicable.addAll(r.notApplicable);
            skipped.addAll(r.skipped);
            environment.addAll(r.environment);
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.3f | %.3f |%n",
                    jar, classes, notApplicable.size(), rewrittenClasses, rewrittenMethods, unchanged, skipped.size(), noReason,
                    asmFailures, jvmFailures, environment.size(),
                    rewriteTimed == 0 ? 0.0 : rewriteNanos / 1e6 / rewriteTimed,
                    rewrittenClasses == 0 ? 0.0 : checkNanos / 1e6 / rewrittenClasses);
        }

        String summary() {
            return String.format(Locale.ROOT, "%s: %d class files in %d packages, %d rewritten (%d methods), %d refused"
                    + " with a reason, %d broken", jar, classes, packages, rewrittenClasses, rewrittenMethods,
                    skipped.size(), broken.size());
        }

        String details() {
            StringBuilder out = new StringBuilder();
            section(out, "Not linked by this JVM", notApplicable);
            section(out, "Refused by the instrumenter, with its reason", skipped);
            section(out, "Not checkable: the original class fails the same check", environment);
            section(out, "FAILURES (the rewrite broke the class, or skipped it without a reason)", broken);
            return out.toString();
        }

        private void section(StringBuilder out, String title, List<String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            out.append("\n### ").append(jar).append(": ").append(title).append(" (").append(lines.size()).append(")\n\n");
            for (String line : lines) {
                out.append("- ").append(line.replace("\n", "\n  ")).append('\n');
            }
        }
    }

}
