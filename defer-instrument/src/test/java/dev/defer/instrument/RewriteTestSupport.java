package dev.defer.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/** Reads test classes' bytes, rewrites them, verifies them with ASM and defines them in a fresh loader. */
final class RewriteTestSupport {
    private RewriteTestSupport() {
    }

    static byte[] bytesOf(Class<?> type) {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] rewrite(Class<?> type) throws InstrumentationException {
        Instrumenter.Result result = new Instrumenter().instrument(bytesOf(type));
        if (result == null) {
            throw new AssertionError(type + " was not rewritten");
        }
        return result.classFile();
    }

    /** ASM's verifier (the analysis package's SimpleVerifier) over every method: the report, empty if sound. */
    static String verify(byte[] classFile) {
        StringWriter report = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(classFile), RewriteTestSupport.class.getClassLoader(), false,
                new PrintWriter(report));
        return report.toString();
    }

    /** Defines the rewritten class in a loader of its own; the JVM's verifier checks it on first use. */
    static Class<?> define(String name, byte[] classFile) {
        ClassLoader loader = new ClassLoader(RewriteTestSupport.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(className)) {
                    if (className.equals(name)) {
                        Class<?> loaded = findLoadedClass(className);
                        return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
                    }
                    return super.loadClass(className, resolve);
                }
            }
        };
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
