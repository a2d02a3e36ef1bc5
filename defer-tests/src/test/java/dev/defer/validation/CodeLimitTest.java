package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The JVM's 64 KiB code limit (issue 9, item 6): a method that open-coding would take past it keeps runtime
 * records instead, which add less; only a method that no strategy fits is refused, with its class loaded
 * unchanged. The classes are written by javac in the test, their bodies padded to a measured size, and run
 * in a child JVM under the agent. A method that its {@code Defer.panic} call sites ({@code invokedynamic}, two bytes
 * more each) would take past the limit keeps {@code invokestatic} for them.
 */
class CodeLimitTest {
    /** The largest code a method may have (JVM specification, 4.7.3). */
    private static final int LIMIT = 65535;

    /** One padding statement, {@code v ^= v >>> 7;} on an int local: iload, iload, bipush, iushr, ixor, istore. */
    private static final String PAD = "v ^= v >>> 7; ";
    private static final int PAD_BYTES = 7;

    @TempDir
    Path dir;

    @Test
    void openCodingPastTheLimitFallsBackToRecordsForThatMethodAlone() throws Exception {
        // Eight deferred lambdas of about 100 instructions each: open-coding copies every body into the
        // exit, records add a few bytes per site. Padded to 600 bytes below the limit, the method fits with
        // records only; "small", with the same lambdas and no padding, is still open-coded. "big2", a copy
        // of "big", needs the fallback too: one more pass over the class.
        Map<String, Integer> sizes = compileFilled("NearLimit", 8, LIMIT - 600, true);
        int original = sizes.get("big");
        assertTrue(original > LIMIT - 600 - PAD_BYTES && original <= LIMIT - 600, "big is " + original + " bytes");

        Path dump = Files.createDirectories(dir.resolve("dump"));
        Result run = runUnderAgent("verbose,dump=" + dump, "gen.NearLimit");
        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("defer-agent: rewrote gen.NearLimit.big(int) (8 stack-style, 0 pooled;"
                + " open-coding would exceed the 64 KiB code limit)"), run.output);
        assertTrue(run.output.contains("defer-agent: rewrote gen.NearLimit.big2(int) (8 stack-style, 0 pooled;"
                + " open-coding would exceed the 64 KiB code limit)"), run.output);
        assertTrue(run.output.contains("defer-agent: rewrote gen.NearLimit.small(int) (8 open-coded)"), run.output);
        Map<String, Integer> rewritten = codeSizes(Files.readAllBytes(dump.resolve("gen/NearLimit.class")));
        int openCodingAdds = rewritten.get("small") - sizes.get("small");
        assertTrue(original + openCodingAdds > LIMIT,
                "the fixture must be one that open-coding takes past the limit: it adds " + openCodingAdds);
        assertTrue(rewritten.get("big") > original && rewritten.get("big") <= LIMIT, "big: " + rewritten);
        // Printed for the record: what each strategy adds to this method.
        System.out.println("CodeLimitTest: big has " + original + " bytes of code as javac wrote it; runtime records"
                + " add " + (rewritten.get("big") - original) + ", open-coding would add " + openCodingAdds);

        String lifo = "deferred 7 true, deferred 6 true, deferred 5 true, deferred 4 true, deferred 3 true,"
                + " deferred 2 true, deferred 1 true, deferred 0 true";
        assertTrue(run.output.contains("big returned 3 [" + lifo + "]"), run.output);
        assertTrue(run.output.contains("big2 returned 3 [" + lifo + "]"), run.output);
        assertTrue(run.output.contains("small returned 3 [" + lifo + "]"), run.output);
        assertTrue(run.output.contains("big(-1) failed java.lang.IllegalStateException: negative [" + lifo + "]"),
                run.output);
    }

    @Test
    void aMethodThatNoStrategyFitsIsReportedAndItsClassLoadedUnchanged() throws Exception {
        // Within a few bytes of the limit: a runtime invocation's prologue and handler alone do not fit.
        Map<String, Integer> sizes = compileFilled("AtLimit", 1, LIMIT - 8, false);
        assertTrue(sizes.get("big") > LIMIT - 8 - PAD_BYTES, "big is " + sizes.get("big") + " bytes");

        Path dump = Files.createDirectories(dir.resolve("dump"));
        Result run = runUnderAgent("verbose,dump=" + dump, "gen.AtLimit");
        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("defer-agent: cannot rewrite gen.AtLimit, left unchanged (its Defer.defer"
                + " calls will throw IllegalStateException): big(I)I: its rewritten code would be "), run.output);
        assertTrue(run.output.contains(" bytes, over the JVM's limit of 65535, even with runtime records (the"
                + " smallest rewrite); split the method into smaller ones"), run.output);
        assertFalse(Files.exists(dump.resolve("gen/AtLimit.class")), "the class must not be rewritten");
        // All or nothing: "small", which would fit, is left as javac wrote it too.
        assertTrue(run.output.contains("small failed java.lang.IllegalStateException: Defer.defer called in"
                + " gen.AtLimit.small (AtLimit.java:"), run.output);
        assertTrue(run.output.contains("big failed java.lang.IllegalStateException: Defer.defer called in"
                + " gen.AtLimit.big (AtLimit.java:"), run.output);
    }

    @Test
    void aMethodThatPanicCallSitesTakePastTheLimitKeepsInvokestatic() throws Exception {
        // An invokedynamic is 5 bytes where invokestatic Defer.panic is 3: "wide", which is not @Defers but in a
        // rewritten class, holds 8 Defer.panic calls and fits only with invokestatic; "small" gets invokedynamic.
        int unpadded = compilePanics(0).get("wide");
        int pads = (LIMIT - 8 - unpadded) / PAD_BYTES;
        int original = compilePanics(pads).get("wide");
        assertTrue(original + 2 * 8 > LIMIT && original <= LIMIT, "wide is " + original + " bytes");

        Path dump = Files.createDirectories(dir.resolve("dump"));
        Result run = runUnderAgent("verbose,dump=" + dump, "gen.PanicSites");
        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("defer-agent: rewrote gen.PanicSites.small(int) (1 open-coded)"), run.output);
        ClassNode node = new ClassNode();
        new ClassReader(Files.readAllBytes(dump.resolve("gen/PanicSites.class"))).accept(node, 0);
        Map<String, String> sites = new HashMap<>();
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof InvokeDynamicInsnNode && ((InvokeDynamicInsnNode) insn).bsm.getName().equals("panicSite")) {
                    sites.merge(method.name, "indy", String::concat);
                } else if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).name.equals("panic")) {
                    sites.merge(method.name, "static", String::concat);
                }
            }
        }
        assertEquals(Map.of("wide", "static".repeat(8), "small", "indy"), sites);
        // Both panic and start at their caller, the one with invokestatic through Panic's lazy trimming.
        assertTrue(run.output.contains("wide(3) failed dev.defer.Panic: panic: p3 at gen.PanicSites.wide"), run.output);
        assertTrue(run.output.contains("small(-1) failed dev.defer.Panic: panic: negative at gen.PanicSites.small"),
                run.output);
    }

    /** {@code gen.PanicSites}: {@code wide(int)} with 8 Defer.panic calls, padded, and {@code small(int)} @Defers. */
    private Map<String, Integer> compilePanics(int pads) throws Exception {
        StringBuilder panics = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            panics.append("        if (x == ").append(k).append(") {\n            throw Defer.panic(\"p")
                    .append(k).append("\");\n        }\n");
        }
        String report = "        try {\n            System.out.println(CALL);\n"
                + "        } catch (RuntimeException e) {\n"
                + "            System.out.println(\"CALL failed \" + e + \" at \" + e.getStackTrace()[0]);\n        }\n";
        String source = "package gen;\n"
                + "import dev.defer.Defer;\nimport dev.defer.Defers;\n"
                + "public class PanicSites {\n"
                + "    static int wide(int x) {\n        int v = x;\n        " + PAD.repeat(pads) + "\n" + panics
                + "        return v;\n    }\n"
                + "    @Defers\n    static int small(int x) {\n        Defer.defer(() -> { });\n"
                + "        if (x < 0) {\n            throw Defer.panic(\"negative\");\n        }\n        return x;\n    }\n"
                + "    public static void main(String[] args) {\n"
                + report.replace("CALL", "wide(3)") + report.replace("CALL", "small(-1)") + "    }\n}\n";
        Path sources = Files.createDirectories(dir.resolve("src/gen"));
        Path file = sources.resolve("PanicSites.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "javac is not available in this JVM");
        Files.createDirectories(classes());
        int status = javac.run(null, null, null, "-g", "-d", classes().toString(), "-cp", runtimePath().toString(),
                file.toString());
        assertEquals(0, status, "javac failed on " + file);
        return codeSizes(Files.readAllBytes(classes().resolve("gen/PanicSites.class")));
    }

    /**
     * Writes and compiles {@code gen.NAME}: {@code big(int)} with {@code sites} deferred lambdas and its body
     * padded to at most {@code target} bytes of code, {@code small(int)} with the same lambdas unpadded,
     * optionally {@code big2(int)}, a copy of {@code big}, and a {@code main} that calls each, then
     * {@code big(-1)}, which panics, and prints each outcome with what the deferred calls logged.
     *
     * @return each method's code size as javac wrote it
     */
    private Map<String, Integer> compileFilled(String name, int sites, int target, boolean twoBig) throws Exception {
        int unpadded = compile(name, sites, 0, twoBig).get("big");
        int pads = (target - unpadded) / PAD_BYTES;
        Map<String, Integer> sizes = compile(name, sites, pads, twoBig);
        assertEquals(unpadded + pads * PAD_BYTES, sizes.get("big"),
                "each padding statement is " + PAD_BYTES + " bytes");
        return sizes;
    }

    private Map<String, Integer> compile(String name, int sites, int pads, boolean twoBig) throws Exception {
        StringBuilder lambdas = new StringBuilder();
        for (int k = 0; k < sites; k++) {
            // About 100 instructions: under the agent's expansion limit (120), so open-coding copies it.
            lambdas.append("        Defer.defer(() -> { int v = ").append(k).append("; ")
                    .append(PAD.repeat(15)).append("LOG.add(\"deferred ").append(k).append(" \" + (v == ")
                    .append(k).append(")); });\n");
        }
        String source = "package gen;\n"
                + "import dev.defer.Defer;\nimport dev.defer.Defers;\n"
                + "import java.util.ArrayList;\nimport java.util.List;\n"
                + "public class " + name + " {\n"
                + "    static final List<String> LOG = new ArrayList<>();\n"
                + bigMethod("big", lambdas, pads) + (twoBig ? bigMethod("big2", lambdas, pads) : "")
                + "    @Defers\n    static int small(int x) {\n" + lambdas + "        return x;\n    }\n"
                + "    public static void main(String[] args) {\n"
                + report("big", "big(3)") + (twoBig ? report("big2", "big2(3)") : "") + report("small", "small(3)")
                + report("big(-1)", "big(-1)")
                + "    }\n}\n";
        Path sources = Files.createDirectories(dir.resolve("src/gen"));
        Path file = sources.resolve(name + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "javac is not available in this JVM");
        Files.createDirectories(classes());
        int status = javac.run(null, null, null, "-g", "-d", classes().toString(), "-cp", runtimePath().toString(),
                file.toString());
        assertEquals(0, status, "javac failed on " + file);
        return codeSizes(Files.readAllBytes(classes().resolve("gen/" + name + ".class")));
    }

    /** Prints what a call returned or threw, and what the deferred calls logged. */
    private static String report(String label, String call) {
        return "        LOG.clear();\n        try {\n"
                + "            System.out.println(\"" + label + " returned \" + " + call + " + \" \" + LOG);\n"
                + "        } catch (RuntimeException e) {\n"
                + "            System.out.println(\"" + label + " failed \" + e + \" \" + LOG);\n        }\n";
    }

    private static String bigMethod(String name, StringBuilder lambdas, int pads) {
        return "    @Defers\n    static int " + name + "(int x) {\n" + lambdas + "        int v = x;\n"
                + "        " + PAD.repeat(pads) + "\n"
                + "        if (x < 0) {\n            throw new IllegalStateException(\"negative\");\n        }\n"
                + "        return x;\n    }\n";
    }

    private Path classes() {
        return dir.resolve("classes");
    }

    private static Path runtimePath() throws Exception {
        return Path.of(Defer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Each method's code length, read from the class file's Code attributes. */
    static Map<String, Integer> codeSizes(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        int offset = reader.header + 6;
        offset += 2 + 2 * reader.readUnsignedShort(offset);
        int fields = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fields; i++) {
            // access, name, descriptor, then the attributes
            offset = skipAttributes(reader, offset + 6);
        }
        Map<String, Integer> sizes = new HashMap<>();
        int methods = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < methods; i++) {
            String name = reader.readUTF8(offset + 2, buffer);
            int attributes = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributes; a++) {
                if (reader.readUTF8(offset, buffer).equals("Code")) {
                    // Code: name u2, length u4, max_stack u2, max_locals u2, code_length u4.
                    sizes.put(name, reader.readInt(offset + 10));
                }
                offset += 6 + reader.readInt(offset + 2);
            }
        }
        return sizes;
    }

    private static int skipAttributes(ClassReader reader, int offset) {
        int attributes = reader.readUnsignedShort(offset);
        offset += 2;
        for (int a = 0; a < attributes; a++) {
            offset += 6 + reader.readInt(offset + 2);
        }
        return offset;
    }

    /** What a child JVM printed (stdout and stderr merged) and its exit code. */
    private static final class Result {
        final String output;
        final int exitCode;

        Result(String output, int exitCode) {
            this.output = output;
            this.exitCode = exitCode;
        }
    }

    private Result runUnderAgent(String options, String mainClass) throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        Assumptions.assumeTrue(agentJar != null, "the tests do not run under -javaagent:defer-agent.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-javaagent:" + agentJar + "=" + options,
                "-cp", runtimePath() + File.pathSeparator + classes(), mainClass);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child JVM did not end");
        return new Result(out, process.exitValue());
    }
}
