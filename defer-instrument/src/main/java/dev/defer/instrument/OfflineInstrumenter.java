package dev.defer.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build-time instrumentation: rewrites the {@code @Defers} methods of every class in a class folder or a jar
 * with the same {@link Instrumenter} as the agent, so that the program runs without {@code -javaagent}, and
 * finds the misuse of rule S13 with the {@link MisuseScanner} on the way. Shared by the Maven plugin and the
 * command line ({@code java -jar defer-agent.jar instrument|check}).
 *
 * <p>Which class files it takes: every {@code *.class} outside {@code META-INF/}, and those of the
 * multi-release folders {@code META-INF/versions/N/}. {@code module-info.class} (at the root or in a version
 * folder) is never touched: it has no code. A class that carries the rewrite's {@code dev.defer.Rewritten}
 * attribute is never rewritten again, so running a rewrite twice, or the agent over its output, changes
 * nothing; it is still scanned for misuse, which a rewrite does not remove.
 *
 * <p>All or nothing: a rewrite checks every class first, in memory, and writes nothing at all (a class folder
 * rewritten in place, or a jar, stays byte for byte as it was; no output is created) when a class cannot be
 * rewritten or, unless misuse is allowed, when a {@code Defer.defer} call can never succeed. A build that
 * fails on the report then leaves the classes as the compiler wrote them, and a fixed build starts from them.
 */
public final class OfflineInstrumenter {
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/[0-9]+/.+");
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+",
            Pattern.CASE_INSENSITIVE);

    private final Instrumenter instrumenter;
    private final MisuseScanner scanner;

    /** The rewrite of {@code @Defers} methods and the misuse scan that agrees with it. */
    public OfflineInstrumenter() {
        this(new Instrumenter(), new MisuseScanner());
    }

    /**
     * @param instrumenter the rewrite
     * @param scanner the misuse scan; built with the same {@code all=} prefixes as the rewrite
     */
    public OfflineInstrumenter(Instrumenter instrumenter, MisuseScanner scanner) {
        this.instrumenter = instrumenter;
        this.scanner = scanner;
    }

    /**
     * Whether an entry of a class folder or jar, by its path relative to the root with {@code /} separators,
     * is a class file to rewrite.
     *
     * @param path e.g. {@code com/example/App.class} or {@code META-INF/versions/21/com/example/App.class}
     * @return true for a class file outside {@code META-INF/} or in a multi-release version folder, except
     *     {@code module-info.class}
     */
    public static boolean isClassToRewrite(String path) {
        if (!path.endsWith(".class") || isModuleInfo(path)) {
            return false;
        }
        return !path.startsWith("META-INF/") || VERSIONED.matcher(path).matches();
    }

    /**
     * The binary name of the class a class file of a folder or jar holds, from its path.
     *
     * @param path e.g. {@code com/example/App.class} or {@code META-INF/versions/21/com/example/App.class}
     * @return e.g. {@code com.example.App}
     */
    public static String classNameOf(String path) {
        String name = path.substring(0, path.length() - ".class".length());
        if (name.startsWith("META-INF/versions/")) {
            name = name.substring(name.indexOf('/', "META-INF/versions/".length()) + 1);
        }
        return name.replace('/', '.');
    }

    private static boolean isModuleInfo(String path) {
        return path.equals("module-info.class") || path.endsWith("/module-info.class");
    }

    /**
     * Rewrites a class folder, unless a check fails: {@link #rewriteDirectory(Path, Path, boolean)} with misuse
     * not allowed.
     *
     * @param in the class folder
     * @param out where to write, created if needed; {@code in} itself, or a folder outside it
     * @return what was done and found; {@link Report#written()} tells whether anything was written
     * @throws IOException when a file cannot be read or written
     */
    public Report rewriteDirectory(Path in, Path out) throws IOException {
        return rewriteDirectory(in, out, false);
    }

    /**
     * Rewrites a class folder. With {@code out} equal to {@code in} the classes are rewritten in place (each
     * replaced at once, never left half-written); otherwise every file of {@code in} is copied to {@code out}
     * with the classes rewritten, and {@code in} is left as it was. Every file keeps the POSIX permissions of the
     * file it was read from. Nothing is written when a class cannot be rewritten, nor, unless
     * {@code allowMisuse}, when the report lists misuse.
     *
     * @param in the class folder
     * @param out where to write, created if needed; {@code in} itself, or a folder outside it
     * @param allowMisuse whether to write even though some {@code Defer.defer} calls can never succeed
     * @return what was done and found; {@link Report#written()} tells whether anything was written
     * @throws IOException when a file cannot be read or written
     */
    public Report rewriteDirectory(Path in, Path out, boolean allowMisuse) throws IOException {
        Path source = in.toAbsolutePath().normalize();
        Path target = out.toAbsolutePath().normalize();
        requireDirectory(source);
        boolean inPlace = source.equals(target);
        if (!inPlace && target.startsWith(source)) {
            throw new IllegalArgumentException(out + " is inside " + in + ": write the rewritten classes elsewhere");
        }
        Report report = new Report(in.toString());
        List<Path> files = filesOf(source);
        Map<String, byte[]> classes = new HashMap<>();
        for (Path file : files) {
            String path = relativePath(source, file);
            byte[] rewritten = isClassToRewrite(path) ? process(path, Files.readAllBytes(file), report) : null;
            if (isModuleInfo(path)) {
                report.skipped.add(path);
            }
            if (rewritten != null) {
                classes.put(path, rewritten);
            }
        }
        if (!report.passes(allowMisuse)) {
            report.refused = true;
            return report;
        }
        for (Path file : files) {
            String path = relativePath(source, file);
            Path destination = target.resolve(path);
            byte[] rewritten = classes.get(path);
            if (rewritten != null) {
                // The class file read keeps its permissions, as the files copied unchanged do.
                FileReplacement.write(destination, file, true, stream -> stream.write(rewritten));
            } else if (!inPlace) {
                Files.createDirectories(destination.getParent());
                Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        report.written = true;
        return report;
    }

    /**
     * Rewrites a jar unless a check fails: {@link #rewriteJar(Path, Path, boolean)} with misuse not allowed.
     *
     * @param in the jar
     * @param out the jar to write (replaced at once when it exists)
     * @return what was done and found; {@link Report#written()} tells whether anything was written
     * @throws IOException when the jar cannot be read or written
     */
    public Report rewriteJar(Path in, Path out) throws IOException {
        return rewriteJar(in, out, false);
    }

    /**
     * Rewrites a jar (or any zip of classes) into another, or into itself when {@code out} equals {@code in}.
     * Entries keep their order, names, times and compression; a signature ({@code META-INF/*.SF} and its
     * block file) is dropped when a class changed, since it no longer matches, with a warning in the report.
     * A jar replaced keeps its POSIX permissions; a new one gets those the umask gives. Nothing is written when
     * a class cannot be rewritten, nor, unless {@code allowMisuse}, when the report lists misuse.
     *
     * @param in the jar
     * @param out the jar to write (replaced at once when it exists)
     * @param allowMisuse whether to write even though some {@code Defer.defer} calls can never succeed
     * @return what was done and found; {@link Report#written()} tells whether anything was written
     * @throws IOException when the jar cannot be read or written
     */
    public Report rewriteJar(Path in, Path out, boolean allowMisuse) throws IOException {
        Report report = new Report(in.toString());
        List<byte[]> contents = new ArrayList<>();
        List<ZipEntry> entries = new ArrayList<>();
        boolean signed = false;
        try (ZipFile zip = new ZipFile(in.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                byte[] data;
                try (InputStream stream = zip.getInputStream(entry)) {
                    data = stream.readAllBytes();
                }
                signed |= SIGNATURE.matcher(entry.getName()).matches();
                if (isModuleInfo(entry.getName())) {
                    report.skipped.add(entry.getName());
                }
                byte[] rewritten = isClassToRewrite(entry.getName()) ? process(entry.getName(), data, report) : null;
                entries.add(entry);
                contents.add(rewritten != null ? rewritten : data);
            }
        }
        if (!report.passes(allowMisuse)) {
            report.refused = true;
            return report;
        }
        boolean dropSignature = signed && !report.rewritten.isEmpty();
        if (dropSignature) {
            report.warnings.add(in + " was signed; its signature no longer matches the rewritten classes and was"
                    + " removed: sign the jar after the rewrite");
        }
        Path target = out.toAbsolutePath();
        // A jar replaced (in place or not) keeps its permissions; a new one gets what the umask gives.
        FileReplacement.write(target, target, false, stream -> {
            try (ZipOutputStream zip = new ZipOutputStream(stream)) {
                for (int i = 0; i < entries.size(); i++) {
                    ZipEntry entry = entries.get(i);
                    if (dropSignature && SIGNATURE.matcher(entry.getName()).matches()) {
                        continue;
                    }
                    zip.putNextEntry(copyOf(entry, contents.get(i)));
                    zip.write(contents.get(i));
                    zip.closeEntry();
                }
            }
        });
        report.written = true;
        return report;
    }

    /**
     * Checks a class folder or a jar without writing anything: the rewrite runs in memory, so a class it
     * cannot rewrite is reported as {@link #rewriteDirectory} would, and so is every misuse.
     *
     * @param in a class folder or a jar
     * @return what was found; {@link Report#rewritten()} lists what a rewrite would change
     * @throws IOException when it cannot be read
     */
    public Report check(Path in) throws IOException {
        Report report = new Report(in.toString());
        if (Files.isDirectory(in)) {
            Path source = in.toAbsolutePath().normalize();
            for (Path file : filesOf(source)) {
                String path = relativePath(source, file);
                if (isClassToRewrite(path)) {
                    process(path, Files.readAllBytes(file), report);
                }
            }
        } else {
            try (ZipFile zip = new ZipFile(in.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    ZipEntry entry = e.nextElement();
                    if (isClassToRewrite(entry.getName())) {
                        try (InputStream stream = zip.getInputStream(entry)) {
                            process(entry.getName(), stream.readAllBytes(), report);
                        }
                    }
                }
            }
        }
        return report;
    }

    /** Scans and rewrites one class file: the new bytes, or null when it stays as it is. */
    private byte[] process(String path, byte[] classFile, Report report) {
        report.classes++;
        try {
            report.misuse.addAll(scanner.scan(classFile));
        } catch (IllegalArgumentException e) {
            report.failures.add(path + ": " + e.getMessage());
            return null;
        }
        if (!instrumenter.mayNeedRewrite(null, classFile)) {
            if (instrumenter.isRewritten(classFile)) {
                report.alreadyRewritten.add(path);
            }
            return null;
        }
        try {
            Instrumenter.Result result = instrumenter.instrument(classFile);
            if (result == null) {
                return null;
            }
            report.rewritten.add(new RewrittenClass(path, result.methods(), result.panicSites()));
            return result.classFile();
        } catch (InstrumentationException e) {
            report.failures.add(e.className() == null ? path + ": " + e.getMessage() : e.getMessage());
            return null;
        }
    }

    private static ZipEntry copyOf(ZipEntry entry, byte[] data) {
        // Everything the entry was written with: the DOS time, the extra fields as they were (an extended
        // timestamp when the entry had one, none added when it had not, so that a reproducible jar stays
        // reproducible), the comment, and the Unix mode that a jar made on Unix records for each file, which a
        // fresh entry would lose.
        ZipEntry copy = new ZipEntry(entry);
        CRC32 crc = new CRC32();
        crc.update(data);
        copy.setSize(data.length);
        copy.setCrc(crc.getValue());
        if (entry.getMethod() == ZipEntry.STORED) {
            copy.setCompressedSize(data.length);
        } else {
            // Unknown until deflated: the stream writes the sizes and the CRC in a data descriptor after the data.
            copy.setMethod(ZipEntry.DEFLATED);
            copy.setCompressedSize(-1);
        }
        return copy;
    }

    private static void requireDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
    }

    /** Every regular file under the folder, in a stable order. */
    private static List<Path> filesOf(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(files);
        return files;
    }

    private static String relativePath(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** One class the rewrite changed. */
    public static final class RewrittenClass {
        private final String path;
        private final List<String> methods;
        private final int panicSites;

        RewrittenClass(String path, List<String> methods, int panicSites) {
            this.path = path;
            this.methods = List.copyOf(methods);
            this.panicSites = panicSites;
        }

        /**
         * @return how many of its {@code Defer.panic} calls became {@code invokedynamic}, as
         *     {@link Instrumenter.Result#panicSites()} counts them
         */
        public int panicSites() {
            return panicSites;
        }

        /**
         * @return the class file's path in the folder or jar, e.g. {@code com/example/App.class}
         */
        public String path() {
            return path;
        }

        /**
         * @return the class's binary name, from its path: {@code com.example.App}
         */
        public String className() {
            return classNameOf(path);
        }

        /**
         * @return its rewritten methods, as {@link Instrumenter.Result#methods()} names them
         */
        public List<String> methods() {
            return methods;
        }
    }

    /** What a rewrite or a check did and found. */
    public static final class Report {
        private final String source;
        private int classes;
        private final List<String> alreadyRewritten = new ArrayList<>();
        private boolean written;
        private boolean refused;
        private final List<RewrittenClass> rewritten = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private final List<MisuseScanner.Finding> misuse = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Report(String source) {
            this.source = source;
        }

        /**
         * @return the folder or jar, as given
         */
        public String source() {
            return source;
        }

        /**
         * @return how many class files were read
         */
        public int classes() {
            return classes;
        }

        /**
         * @return how many of them carried the rewrite's attribute already and were left as they were
         */
        public int alreadyRewritten() {
            return alreadyRewritten.size();
        }

        /**
         * @return the paths of the class files that carried the rewrite's attribute already, in the order read
         */
        public List<String> alreadyRewrittenClasses() {
            return Collections.unmodifiableList(alreadyRewritten);
        }

        /**
         * @return whether the rewrite wrote its output: false after {@link #check}, and when a check failed
         *     ({@link #failures()}, or {@link #misuse()} unless allowed), in which case nothing was written
         */
        public boolean written() {
            return written;
        }

        /** Whether the checks allow writing: no class that cannot be rewritten, no misuse unless allowed. */
        boolean passes(boolean allowMisuse) {
            return failures.isEmpty() && (allowMisuse || misuse.isEmpty());
        }

        /**
         * @return the classes rewritten (or, for a check, that a rewrite would change)
         */
        public List<RewrittenClass> rewritten() {
            return Collections.unmodifiableList(rewritten);
        }

        /**
         * @return how many methods were rewritten
         */
        public int rewrittenMethods() {
            return rewritten.stream().mapToInt(c -> c.methods().size()).sum();
        }

        /**
         * @return one message per class that cannot be rewritten, naming the class, the method, the reason and
         *     the fix (those classes are left as they were)
         */
        public List<String> failures() {
            return Collections.unmodifiableList(failures);
        }

        /**
         * @return every call of {@code Defer.defer} that can never succeed
         */
        public List<MisuseScanner.Finding> misuse() {
            return Collections.unmodifiableList(misuse);
        }

        /**
         * @return the {@code module-info.class} files, left as they were
         */
        public List<String> skipped() {
            return Collections.unmodifiableList(skipped);
        }

        /**
         * @return things done that the user should know of (a signature removed)
         */
        public List<String> warnings() {
            return Collections.unmodifiableList(warnings);
        }

        /**
         * @return a one-line summary of the counts, which ends with {@code "; nothing written, since the checks
         *     failed"} when a rewrite wrote nothing
         */
        public String summary() {
            String counts = String.format(Locale.ROOT, "%d class file%s read: %d method%s rewritten in %d class%s, %d class%s"
                    + " rewritten already, %d misplaced Defer.defer call%s, %d class%s that cannot be rewritten",
                    classes, plural(classes), rewrittenMethods(), plural(rewrittenMethods()), rewritten.size(),
                    pluralEs(rewritten.size()), alreadyRewritten.size(), pluralEs(alreadyRewritten.size()),
                    misuse.size(), plural(misuse.size()), failures.size(), pluralEs(failures.size()));
            int panicSites = rewritten.stream().mapToInt(RewrittenClass::panicSites).sum();
            if (panicSites > 0) {
                // A class whose only change is its Defer.panic calls counts as rewritten with 0 methods: say why.
                counts += String.format(Locale.ROOT, ", %d Defer.panic call site%s linked so that a Panic's trace"
                        + " starts at its caller", panicSites, plural(panicSites));
            }
            // The counts say what the rewrite would have done; a refused one must not read as done.
            return refused ? counts + "; nothing written, since the checks failed" : counts;
        }

        private static String plural(int count) {
            return count == 1 ? "" : "s";
        }

        private static String pluralEs(int count) {
            return count == 1 ? "" : "es";
        }
    }
}
