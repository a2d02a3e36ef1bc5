package dev.defer.instrument;

import dev.defer.instrument.internal.ClassPrefixes;
import dev.defer.instrument.internal.ClassRewriter;
import dev.defer.instrument.internal.ClassScan;
import dev.defer.instrument.internal.UnrewritableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rewrites the {@code @Defers} methods of class files, for the agent at class load and for build-time
 * tools. Works on bytes alone: it never loads, initialises or looks up any class. Thread-safe.
 */
public final class Instrumenter {
    private final Predicate<String> rewriteAll;

    /**
     * Creates an instrumenter that rewrites the methods annotated {@code @Defers} and the methods of
     * types annotated {@code @Defers}.
     */
    public Instrumenter() {
        this(List.of());
    }

    /**
     * Creates an instrumenter that also treats every method of some packages as {@code @Defers}: the
     * agent's {@code all=} test mode.
     *
     * @param allPrefixes package or class name prefixes, dotted ({@code org.apache.commons.lang3}); a
     *     prefix covers that package, its subpackages and a class of that exact name
     */
    public Instrumenter(List<String> allPrefixes) {
        this.rewriteAll = prefixMatcher(allPrefixes);
    }

    /**
     * The test of the {@code all=} prefixes, by internal class name; shared with {@link MisuseScanner}.
     */
    static Predicate<String> prefixMatcher(List<String> allPrefixes) {
        return new ClassPrefixes(allPrefixes);
    }

    /**
     * Whether a class, given its internal name, may need the rewrite, judged without parsing it: it is
     * in an {@code all=} package, or its bytes mention {@code @Defers} or may call {@code Defer.panic} (whose calls
     * are rewritten in any class of Java 7 or newer); and it was not rewritten yet.
     *
     * @param internalName the class's internal name ({@code com/example/Foo}), or null if unknown
     * @param classFile the class file
     * @return false when {@link #instrument} would certainly return null
     */
    public boolean mayNeedRewrite(String internalName, byte[] classFile) {
        return ClassScan.mayNeedRewrite(rewriteAll, internalName, classFile);
    }

    /**
     * Whether a class may have methods to rewrite as {@code @Defers}, judged without parsing it: it is in an
     * {@code all=} package, or its bytes mention {@code @Defers}. A class that is only a candidate of
     * {@link #mayNeedRewrite} for its {@code Defer.panic} calls is not one: left as it is, it works, its
     * {@code Panic} traces trimmed when first read.
     *
     * @param internalName the class's internal name, or null if unknown
     * @param classFile the class file
     * @return false when the class certainly has no {@code @Defers} method
     */
    public boolean mayHaveDefersMethods(String internalName, byte[] classFile) {
        return ClassScan.mayHaveDefersMethods(rewriteAll, internalName, classFile);
    }

    /**
     * Whether a class file carries the {@code dev.defer.Rewritten} class attribute that the rewrite adds; only
     * the attribute counts, not the same text as a string constant. Read from the constant pool and the
     * attribute table, without parsing the code; {@link #instrument} returns null for such a class.
     *
     * @param classFile the class file
     * @return true when it was rewritten already (by the agent's dump, the Maven plugin or the command line)
     */
    public boolean isRewritten(byte[] classFile) {
        return ClassScan.isRewritten(classFile);
    }

    /**
     * Rewrites a class file.
     *
     * @param classFile the class file
     * @return the rewritten class and its rewritten methods, or null when nothing needed the rewrite
     *     (no {@code @Defers} method and no {@code Defer.panic} call to replace, or the class was rewritten
     *     already)
     * @throws InstrumentationException when a method cannot be rewritten; the message names the class,
     *     the method, the reason and the fix, and the class must then be used as it was
     */
    public Result instrument(byte[] classFile) throws InstrumentationException {
        if (ClassScan.isRewritten(classFile)) {
            return null;
        }
        List<String> methods = new ArrayList<>();
        int[] panicSites = new int[1];
        try {
            byte[] rewritten = new ClassRewriter(rewriteAll).rewrite(classFile, methods, panicSites);
            return rewritten == null ? null : new Result(rewritten, methods, panicSites[0]);
        } catch (UnrewritableClassException e) {
            throw new InstrumentationException(e.getMessage(), e.className(), e);
        } catch (RuntimeException e) {
            // ASM rejects a malformed or too new class file: report it rather than guess.
            throw new InstrumentationException("cannot rewrite a class, left unchanged: " + e, null, e);
        }
    }

    /** A rewritten class file. */
    public static final class Result {
        private final byte[] classFile;
        private final List<String> methods;
        private final int panicSites;

        Result(byte[] classFile, List<String> methods, int panicSites) {
            this.classFile = classFile;
            this.methods = List.copyOf(methods);
            this.panicSites = panicSites;
        }

        /**
         * @return how many {@code Defer.panic} calls became {@code invokedynamic}, so that a {@code Panic}'s trace
         *     starts at their caller; a class with no {@code @Defers} method may be rewritten for these alone
         */
        public int panicSites() {
            return panicSites;
        }

        /**
         * @return the rewritten class file (not copied: the caller owns it)
         */
        public byte[] classFile() {
            return classFile;
        }

        /**
         * @return the name and descriptor of each rewritten method, then how its defer sites are kept
         *     when it has any, e.g. {@code copy(Ljava/nio/file/Path;)J (2 open-coded)}, or {@code (2 stack-style,
         *     0 pooled; open-coding would exceed the 64 KiB code limit)} for a method that open-coding would
         *     make too large for the JVM
         */
        public List<String> methods() {
            return methods;
        }
    }
}
