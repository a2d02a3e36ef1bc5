package dev.defer.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first example compiles as shown, with only defer-runtime on the class path, and does what the
 * README says once the agent (which runs these tests) rewrites it as it loads.
 */
class ReadmeExampleTest {
    /** The tests run in the defer-tests folder. */
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path temp;

    private static String firstJavaBlock() throws IOException {
        Matcher block = Pattern.compile("```java\\R(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        assertTrue(block.find(), "README.md has a java block");
        return block.group(1);
    }

    private Class<?> compile(String source) throws Exception {
        Matcher name = Pattern.compile("(?m)^(?:public )?class (\\w+)").matcher(source);
        assertTrue(name.find(), "the example declares a class");
        Path file = Files.createDirectories(temp.resolve("src")).resolve(name.group(1) + ".java");
        Files.writeString(file, source);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            // defer-runtime alone, as a user's project has it.
            String runtime = Path.of(Defer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            boolean compiled = javac.getTask(null, files, diagnostics, List.of("--release", "17", "-classpath",
                    runtime, "-d", classes.toString()), null, files.getJavaFileObjects(file)).call();
            assertTrue(compiled, "README.md's example does not compile as shown: " + diagnostics.getDiagnostics());
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExampleTest.class.getClassLoader());
        return Class.forName(name.group(1), true, loader);
    }

    private static Object call(Class<?> type, String method, Class<?>[] parameters, Object... arguments)
            throws Exception {
        Method m = type.getDeclaredMethod(method, parameters);
        m.setAccessible(true);
        return m.invoke(null, arguments);
    }

    @Test
    void theFirstExampleCompilesAsShownAndRunsUnderTheAgent() throws Exception {
        Class<?> example = compile(firstJavaBlock());
        Class<?>[] string = {String.class};
        assertEquals("number 42", call(example, "safeParse", string, "42"));
        String error = (String) call(example, "safeParse", string, "forty-two");
        assertTrue(error.startsWith("error: java.lang.NumberFormatException"), error);

        Path from = Files.writeString(temp.resolve("from.txt"), "hello, defer");
        Path to = temp.resolve("to.txt");
        assertEquals(12L, call(example, "copy", new Class<?>[] {Path.class, Path.class}, from, to));
        assertEquals("hello, defer", Files.readString(to));
    }
}
