package dev.defer.agentprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Byte Buddy agent that weaves advice into {@code @Defers} methods and their deferred handlers, loaded
 * before and after the defer agent: the program prints what it prints without the advice, recover() in an
 * advised handler still recovers, and the advice sees each method enter and exit once.
 */
class ByteBuddyAgentTest {
    private static final List<String> RESULTS = List.of("recovered: empty", "x", "42", "panic: negative");
    /**
     * Each method's advice, in order. The advice is woven into the body as compiled, and the defer rewrite
     * wraps the advised body (the advice agent's transformer is not retransformation-capable, so it runs
     * first): a body that panics exits "by" the throwable before its deferred calls run and recover it, as
     * a finally block of the body would.
     */
    private static final List<String> TRACE = List.of("enter main",
            "enter parse", "exit parse by IllegalArgumentException", "enter onPanic", "exit onPanic",
            "enter parse", "exit parse", "enter onPanic", "exit onPanic",
            "enter twice", "exit twice",
            "enter twice", "exit twice by IllegalStateException");

    @TempDir
    Path dir;

    @Test
    void adviceAndDeferInEitherOrder() throws Exception {
        Path adviceJar = agentJar(AdviceAgent.class);
        String advice = "-javaagent:" + adviceJar;
        String defer = "-javaagent:" + ChildJvm.agentJar();
        String classPath = System.getProperty("java.class.path");

        ChildJvm plain = ChildJvm.java(defer, "-cp", classPath, AdvisedProgram.class.getName());
        assertEquals(RESULTS, plain.out.lines().toList(), plain.err);

        for (List<String> order : List.of(List.of(advice, defer), List.of(defer, advice))) {
            ChildJvm run = ChildJvm.java(order.get(0), order.get(1), "-cp", classPath, AdvisedProgram.class.getName());
            List<String> lines = run.out.lines().toList();
            assertEquals(RESULTS, lines.subList(0, Math.min(lines.size(), RESULTS.size())), order + "\n" + run.err);
            assertEquals(TRACE, lines.subList(Math.min(lines.size(), RESULTS.size()), lines.size()), order + "\n" + run.err);
        }
    }

    /** A jar that holds only a manifest naming the agent class, which the class path provides. */
    private Path agentJar(Class<?> agent) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", agent.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("advice-agent.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
        }
        return jar;
    }
}
