package dev.defer.compat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Runs a JUnit Platform test suite twice through the console launcher, once without the defer agent
 * and once with {@code -javaagent:defer-agent.jar=all=PREFIX}, and compares the outcomes.
 *
 * <p>Exits non-zero when the two runs differ (summary counts, or the outcome of any single test or
 * container, compared by unique id from the Open Test Reporting event files), when no test ran, when
 * a launcher exited abnormally, or when the agent printed a {@code defer-agent:} line saying that it
 * could not rewrite a class.
 *
 * <p>Uses nothing but the JDK: it only spawns the launcher JVMs and reads their output.
 */
public final class CompatCheck {

    /** The {@code --add-opens java.base/X=ALL-UNNAMED} packages the suite needs on JDK 17. */
    static final List<String> OPENS = List.of(
            "java.lang", "java.util", "java.lang.reflect", "java.text", "java.io", "java.nio",
            "java.util.concurrent", "java.time", "java.math", "java.net", "java.util.regex");

    /** How many differences are listed on the console (all of them go to differences.txt). */
    static final int MAX_LISTED = 100;

    static final String LAUNCHER_MAIN = "org.junit.platform.console.ConsoleLauncher";

    /** A summary line of the console launcher: {@code [     11501 tests started         ]}. */
    static final Pattern SUMMARY_LINE =
            Pattern.compile("^\\[\\s*(\\d+)\\s+(tests|containers)\\s+(found|skipped|started|aborted|successful|failed)\\s*\\]\\s*$");

    /**
     * The agent's informational lines (printed only with its {@code verbose} option, which this check does not
     * pass). Every other {@code defer-agent:} line reports a problem: "cannot rewrite C, left unchanged ...",
     * "cannot dump ...", an option error.
     */
    static final Pattern AGENT_INFO = Pattern.compile("^defer-agent: (rewrote |active\\b)");

    /** Problems of the class-loading kind that a broken rewrite would cause. */
    static final Pattern LINKAGE_PROBLEM = Pattern.compile(
            "java\\.lang\\.(VerifyError|ClassFormatError|IncompatibleClassChangeError|NoSuchMethodError|NoSuchFieldError|NoClassDefFoundError|AbstractMethodError|IllegalAccessError|BootstrapMethodError)");

    static final List<String> COUNT_KEYS = List.of(
            "tests found", "tests started", "tests successful", "tests aborted", "tests failed", "tests skipped",
            "containers found", "containers started", "containers successful", "containers aborted",
            "containers failed", "containers skipped");

    private final Map<String, String> opts;
    private final PrintStream out = System.out;
    private final List<String> problems = new ArrayList<>();
    /** Only re-read the outputs of the last runs (to re-check without waiting for the suite again). */
    private final boolean reuse;

    private CompatCheck(Map<String, String> opts) {
        this.opts = opts;
        this.reuse = Boolean.parseBoolean(opts.getOrDefault("reuse", "false"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("usage: CompatCheck --key=value ... (bad argument: " + a + ")");
                System.exit(2);
            }
            int eq = a.indexOf('=');
            opts.put(a.substring(2, eq), a.substring(eq + 1));
        }
        int rc;
        try {
            rc = new CompatCheck(opts).run();
        } catch (SetupException e) {
            System.out.println("compat: SETUP ERROR: " + e.getMessage());
            rc = 3;
        }
        System.exit(rc);
    }

    static final class SetupException extends Exception {
        private static final long serialVersionUID = 1L;

        SetupException(String message) {
            super(message);
        }
    }

    private String opt(String key) throws SetupException {
        String v = opts.get(key);
        if (v == null || v.isBlank()) {
            throw new SetupException("missing option --" + key + "=...");
        }
        return v;
    }

    private Path existing(String key) throws SetupException {
        Path p = Paths.get(opt(key)).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new SetupException("--" + key + ": " + p + " does not exist"
                    + (key.equals("agent-jar") || key.equals("runtime-jar")
                            ? " (build it first: mvn -B -Pcommons-lang -pl compat-commons-lang -am verify)" : ""));
        }
        return p;
    }

    /** The outcome of one launcher run. */
    static final class RunResult {
        final String name;
        int exitCode;
        long millis;
        Path stdout;
        Path stderr;
        final Map<String, Long> counts = new LinkedHashMap<>();
        /** Unique id to node (tests and containers), from the Open Test Reporting events. */
        final Map<String, Node> nodes = new TreeMap<>();
        Path eventsFile;

        RunResult(String name) {
            this.name = name;
        }

        long count(String key) {
            return counts.getOrDefault(key, -1L);
        }
    }

    static final class Node {
        final String uniqueId;
        final String type;
        String status = "NOT_FINISHED";
        String detail = "";

        Node(String uniqueId, String type) {
            this.uniqueId = uniqueId;
            this.type = type;
        }
    }

    private int run() throws Exception {
        Path java = Paths.get(opts.getOrDefault("java", Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        Path launcherDir = existing("launcher-dir");
        Path libDir = existing("lib-dir");
        Path testsJar = existing("tests-jar");
        Path agentJar = existing("agent-jar");
        Path runtimeJar = existing("runtime-jar");
        String all = opt("all");
        Path workDir = Paths.get(opt("work-dir")).toAbsolutePath().normalize();
        long timeoutMinutes = Long.parseLong(opts.getOrDefault("timeout-minutes", "40"));

        List<Path> classPath = new ArrayList<>(jars(libDir));
        // The runtime on both runs: the class paths are the same, only -javaagent differs.
        classPath.add(runtimeJar);
        classPath.addAll(jars(launcherDir));
        if (classPath.stream().noneMatch(p -> p.getFileName().toString().startsWith("junit-platform-console-standalone"))) {
            throw new SetupException("no junit-platform-console-standalone jar in " + launcherDir);
        }

        out.println("compat: java        " + java + " (" + System.getProperty("java.version") + " runs this check)");
        out.println("compat: tests jar   " + testsJar);
        out.println("compat: class path  " + classPath.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(" ")));

        // --classes=a.BTest,c.DTest runs only those classes (to debug a difference quickly); default: the whole jar.
        String classes = opts.getOrDefault("classes", "");
        List<String> scan = classes.isBlank() ? List.of("--scan-class-path=" + testsJar)
                : Stream.of(classes.split(",")).map(c -> "--select-class=" + c.strip()).collect(Collectors.toList());
        // verbose: one "defer-agent: rewrote C.m()" line per rewritten method on stderr, so the check can show
        // that the rewrite did happen (a transparent run that rewrote nothing would prove nothing).
        boolean verbose = Boolean.parseBoolean(opts.getOrDefault("verbose", "true"));
        String agentArg = "-javaagent:" + agentJar + "=" + (verbose ? "verbose," : "") + "all=" + all;
        out.println("compat: agent run   " + agentArg);
        RunResult plain = launch("no-agent", java, classPath, scan, null, workDir, timeoutMinutes);
        RunResult agent = launch("agent", java, classPath, scan, agentArg, workDir, timeoutMinutes);

        out.println();
        printCounts(plain, agent);
        compareCounts(plain, agent);
        List<String> differing = compareNodes(plain, agent);
        if (!differing.isEmpty() && !reuse) {
            rerunInIsolation(differing, plain, agent, java, classPath, agentArg, workDir, timeoutMinutes);
        }
        checkAgentLines(plain, agent, verbose, all, testsJar);
        checkLinkage(plain, agent);

        out.println();
        Path report = workDir.resolve("report.txt");
        List<String> reportLines = new ArrayList<>();
        reportLines.add("no-agent: " + summary(plain) + " in " + seconds(plain.millis));
        reportLines.add("agent:    " + summary(agent) + " in " + seconds(agent.millis));
        if (problems.isEmpty()) {
            reportLines.add("RESULT: SAME OUTCOMES with and without the agent ("
                    + agent.nodes.size() + " tests and containers compared one by one)");
        } else {
            reportLines.add("RESULT: DIFFERENT (" + problems.size() + " problem(s)):");
            problems.forEach(p -> reportLines.add("  - " + p));
        }
        Files.write(report, reportLines, StandardCharsets.UTF_8);
        reportLines.forEach(l -> out.println("compat: " + l));
        out.println("compat: logs and reports under " + workDir);
        return problems.isEmpty() ? 0 : 1;
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private RunResult launch(String name, Path java, List<Path> classPath, List<String> selectors, String agentArg,
            Path workDir, long timeoutMinutes) throws IOException, InterruptedException, SetupException {
        RunResult r = new RunResult(name);
        Path dir = workDir.resolve(name);
        Path reports = dir.resolve("reports");
        r.stdout = dir.resolve("stdout.txt");
        r.stderr = dir.resolve("stderr.txt");
        if (reuse) {
            out.println("compat: [" + name + "] re-reading the outputs of an earlier run in " + dir);
            Path exit = dir.resolve("exit-code.txt");
            if (!Files.exists(exit)) {
                throw new SetupException("--reuse=true but " + exit + " does not exist: run the check once first");
            }
            String[] saved = Files.readString(exit).strip().split("\\s+");
            r.exitCode = Integer.parseInt(saved[0]);
            r.millis = saved.length > 1 ? Long.parseLong(saved[1]) : 0;
            return readRun(r, reports);
        }
        deleteRecursively(dir);
        Files.createDirectories(reports);

        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        for (String pkg : OPENS) {
            cmd.add("--add-opens");
            cmd.add("java.base/" + pkg + "=ALL-UNNAMED");
        }
        if (agentArg != null) {
            cmd.add(agentArg);
        }
        cmd.add("-cp");
        cmd.add(classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(LAUNCHER_MAIN);
        cmd.add("execute");
        cmd.add("--disable-banner");
        cmd.add("--disable-ansi-colors");
        cmd.add("--details=summary");
        cmd.add("--details-theme=ascii");
        cmd.addAll(selectors);
        cmd.add("--reports-dir=" + reports);
        cmd.add("--config=junit.platform.reporting.open.xml.enabled=true");
        cmd.add("--config=junit.platform.reporting.output.dir=" + reports);
        Files.write(dir.resolve("command.txt"), List.of(String.join(" ", cmd)), StandardCharsets.UTF_8);

        out.println();
        out.println("compat: [" + name + "] running the suite" + (agentArg == null ? " without the agent" : " with " + agentArg)
                + " (output in " + dir + ")");
        long t0 = System.nanoTime();
        // Its own working directory: tests that read or write relative paths do so apart from the other run.
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(r.stdout.toFile()).redirectError(r.stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            problems.add("[" + name + "] the launcher did not finish within " + timeoutMinutes + " minutes and was killed");
        }
        r.millis = (System.nanoTime() - t0) / 1_000_000;
        r.exitCode = p.exitValue();
        Files.writeString(dir.resolve("exit-code.txt"), r.exitCode + " " + r.millis + "\n");
        out.println("compat: [" + name + "] launcher exit code " + r.exitCode + " after " + seconds(r.millis));
        return readRun(r, reports);
    }

    /** Reads a finished run's summary and event report into {@code r}. */
    private RunResult readRun(RunResult r, Path reports) throws IOException {
        String name = r.name;
        // 0: all passed, 1: some test failed; anything else means the launcher itself went wrong.
        if (r.exitCode != 0 && r.exitCode != 1) {
            problems.add("[" + name + "] launcher exit code " + r.exitCode + " (see " + r.stderr + ")");
            List<String> err = readLines(r.stderr);
            out.println("compat: [" + name + "] last lines of its stderr:");
            err.subList(Math.max(0, err.size() - 25), err.size()).forEach(l -> out.println("compat:   | " + l));
        }

        for (String line : readLines(r.stdout)) {
            Matcher m = SUMMARY_LINE.matcher(line.strip());
            if (m.matches()) {
                r.counts.put(m.group(2) + " " + m.group(3), Long.parseLong(m.group(1)));
            }
        }
        if (r.counts.isEmpty()) {
            problems.add("[" + name + "] no launcher summary in " + r.stdout);
        } else if (r.count("tests started") <= 0) {
            problems.add("[" + name + "] no test ran");
        }

        List<Path> events = List.of();
        if (Files.isDirectory(reports)) try (Stream<Path> s = Files.list(reports)) {
            events = s.filter(f -> f.getFileName().toString().startsWith("junit-platform-events-")).collect(Collectors.toList());
        }
        if (events.size() != 1) {
            problems.add("[" + name + "] expected one junit-platform-events-*.xml in " + reports + ", found " + events.size());
        } else {
            r.eventsFile = events.get(0);
            try {
                parseEvents(r.eventsFile, r.nodes);
            } catch (XMLStreamException e) {
                problems.add("[" + name + "] could not read " + r.eventsFile + ": " + e.getMessage());
            }
            long tests = r.nodes.values().stream().filter(n -> n.type.equals("TEST")).count();
            out.println("compat: [" + name + "] " + r.nodes.size() + " test-plan nodes in the event report (" + tests + " tests)");
        }
        return r;
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
    }

    /** Reads an Open Test Reporting events file: started (id, uniqueId, type) and finished (id, status, throwable). */
    static void parseEvents(Path file, Map<String, Node> byUniqueId) throws IOException, XMLStreamException {
        Map<String, Node> byId = new HashMap<>();
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader x = f.createXMLStreamReader(in);
            String startedId = null;
            String uniqueId = null;
            String type = null;
            Node finishing = null;
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String local = x.getLocalName();
                    switch (local) {
                        case "started":
                            startedId = x.getAttributeValue(null, "id");
                            uniqueId = null;
                            type = null;
                            break;
                        case "uniqueId":
                            if (startedId != null) {
                                uniqueId = x.getElementText();
                            }
                            break;
                        case "type":
                            if (startedId != null) {
                                type = x.getElementText();
                            }
                            break;
                        case "finished":
                            finishing = byId.get(x.getAttributeValue(null, "id"));
                            break;
                        case "result":
                            if (finishing != null) {
                                finishing.status = Objects.requireNonNullElse(x.getAttributeValue(null, "status"), "?");
                            }
                            break;
                        case "reason":
                        case "throwable":
                            if (finishing != null) {
                                String text = x.getElementText().strip();
                                int nl = text.indexOf('\n');
                                finishing.detail = nl < 0 ? text : text.substring(0, nl).strip();
                            }
                            break;
                        default:
                            break;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    String local = x.getLocalName();
                    if (local.equals("started") && startedId != null) {
                        if (uniqueId != null) {
                            Node n = new Node(uniqueId, type == null ? "?" : type);
                            byId.put(startedId, n);
                            Node dup = byUniqueId.put(uniqueId, n);
                            if (dup != null) {
                                // Should not happen; keep both visible rather than silently merging.
                                byUniqueId.put(uniqueId + " #dup" + startedId, dup);
                            }
                        }
                        startedId = null;
                    } else if (local.equals("finished")) {
                        finishing = null;
                    }
                }
            }
            x.close();
        }
    }

    private void printCounts(RunResult plain, RunResult agent) {
        out.println(String.format(Locale.ROOT, "compat: %-22s %10s %10s", "", "no-agent", "agent"));
        for (String key : COUNT_KEYS) {
            long a = plain.count(key);
            long b = agent.count(key);
            out.println(String.format(Locale.ROOT, "compat: %-22s %10s %10s%s", key, fmt(a), fmt(b), a == b ? "" : "   <-- differs"));
        }
        out.println(String.format(Locale.ROOT, "compat: %-22s %10s %10s", "run time", seconds(plain.millis), seconds(agent.millis)));
    }

    private void compareCounts(RunResult plain, RunResult agent) {
        if (plain.counts.isEmpty() || agent.counts.isEmpty()) {
            return; // already reported: a run without a summary
        }
        for (String key : COUNT_KEYS) {
            if (plain.count(key) != agent.count(key)) {
                problems.add("count '" + key + "' differs: " + fmt(plain.count(key)) + " without the agent, "
                        + fmt(agent.count(key)) + " with it");
            }
        }
    }

    /** Compares outcomes node by node; returns the unique ids of the tests whose outcome differs. */
    private List<String> compareNodes(RunResult plain, RunResult agent) {
        List<String> differingTests = new ArrayList<>();
        if (plain.eventsFile == null || agent.eventsFile == null) {
            return differingTests;
        }
        TreeSet<String> ids = new TreeSet<>(plain.nodes.keySet());
        ids.addAll(agent.nodes.keySet());
        List<String> diffs = new ArrayList<>();
        for (String id : ids) {
            Node a = plain.nodes.get(id);
            Node b = agent.nodes.get(id);
            String sa = a == null ? "ABSENT" : a.status;
            String sb = b == null ? "ABSENT" : b.status;
            if (!sa.equals(sb)) {
                Node n = a != null ? a : b;
                if (n.type.equals("TEST") && !id.contains(" #dup")) {
                    differingTests.add(id);
                }
                StringBuilder d = new StringBuilder(id).append(": ").append(sa).append(" without the agent, ").append(sb).append(" with it");
                if (b != null && !b.detail.isEmpty()) {
                    d.append("\n        agent run: ").append(b.detail);
                }
                if (a != null && !a.detail.isEmpty()) {
                    d.append("\n        no-agent run: ").append(a.detail);
                }
                diffs.add(d.toString());
            }
        }
        Map<String, Long> plainByStatus = byStatus(plain);
        Map<String, Long> agentByStatus = byStatus(agent);
        out.println("compat: per-node outcomes (tests and containers, by unique id): no-agent " + plainByStatus
                + ", agent " + agentByStatus);
        List<String> notOk = plain.nodes.values().stream().filter(n -> !n.status.equals("SUCCESSFUL"))
                .sorted(Comparator.comparing((Node n) -> n.status).thenComparing(n -> n.uniqueId))
                .map(n -> n.status + " " + n.uniqueId + (n.detail.isEmpty() ? "" : "  -- " + n.detail))
                .collect(Collectors.toList());
        out.println("compat: not successful without the agent (" + notOk.size() + "):");
        notOk.forEach(l -> out.println("compat:   " + l));
        if (diffs.isEmpty()) {
            out.println("compat: every test and container has the same outcome in both runs");
        } else {
            Path all = plain.stdout.getParent().getParent().resolve("differences.txt");
            try {
                Files.write(all, diffs, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println("compat: " + diffs.size() + " test(s)/container(s) with a different outcome"
                    + (diffs.size() > MAX_LISTED ? " (the first " + MAX_LISTED + "; all in " + all + ")" : "") + ":");
            diffs.stream().limit(MAX_LISTED).forEach(d -> out.println("compat:   " + d.replace("\n", "\ncompat: ")));
            problems.add(diffs.size() + " test(s)/container(s) with a different outcome (listed above; "
                    + "first: " + diffs.get(0).lines().findFirst().orElse("") + ")");
        }
        return differingTests;
    }

    /**
     * Diagnostics only (the verdict does not change): runs the differing tests again, alone, in both
     * modes, to tell a difference that reproduces from one that depends on the rest of the suite or on timing.
     */
    private void rerunInIsolation(List<String> ids, RunResult plain, RunResult agent, Path java, List<Path> classPath,
            String agentArg, Path workDir, long timeoutMinutes) throws IOException, InterruptedException, SetupException {
        List<String> some = ids.stream().limit(MAX_LISTED).collect(Collectors.toList());
        List<String> selectors = some.stream().map(id -> "--select=uid:" + id).collect(Collectors.toList());
        out.println();
        out.println("compat: re-running the " + some.size() + " differing test(s) alone in both modes (diagnostics only)");
        List<String> saved = new ArrayList<>(problems);
        RunResult p2 = launch("rerun-no-agent", java, classPath, selectors, null, workDir, timeoutMinutes);
        RunResult a2 = launch("rerun-agent", java, classPath, selectors, agentArg, workDir, timeoutMinutes);
        // The re-runs are diagnostics: whatever went wrong in them is shown, not added to the verdict.
        problems.subList(saved.size(), problems.size()).forEach(p -> out.println("compat:   (re-run) " + p));
        problems.clear();
        problems.addAll(saved);
        for (String id : some) {
            String full = plain.nodes.get(id) == null ? "ABSENT" : plain.nodes.get(id).status;
            String fullAgent = agent.nodes.get(id) == null ? "ABSENT" : agent.nodes.get(id).status;
            Node x = p2.nodes.get(id);
            Node y = a2.nodes.get(id);
            String alone = x == null ? "ABSENT" : x.status;
            String aloneAgent = y == null ? "ABSENT" : y.status;
            String verdict = !alone.equals(aloneAgent) ? "REPRODUCES alone"
                    : alone.equals(full) ? "does not reproduce alone (agent run alone: " + aloneAgent + ")"
                    : "does not reproduce alone, and the plain run changed outcome too (flaky?)";
            out.println("compat:   " + id);
            out.println("compat:       full suite: " + full + " / " + fullAgent + "; alone: " + alone + " / " + aloneAgent
                    + " (no-agent / agent) -> " + verdict);
            if (y != null && !y.detail.isEmpty() && !aloneAgent.equals("SUCCESSFUL")) {
                out.println("compat:       agent run alone: " + y.detail);
            }
        }
    }

    /** The binary names of the classes in a jar. */
    static Set<String> classNames(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        return names;
    }

    private static Map<String, Long> byStatus(RunResult r) {
        return r.nodes.values().stream().collect(Collectors.groupingBy(n -> n.status, TreeMap::new, Collectors.counting()));
    }

    private void checkAgentLines(RunResult plain, RunResult agent, boolean verbose, String all, Path testsJar)
            throws IOException {
        for (RunResult r : List.of(plain, agent)) {
            List<String> lines = new ArrayList<>();
            for (Path f : List.of(r.stderr, r.stdout)) {
                for (String line : readLines(f)) {
                    if (line.stripLeading().startsWith("defer-agent:")) {
                        lines.add(line.strip());
                    }
                }
            }
            if (r == plain) {
                if (!lines.isEmpty()) {
                    problems.add("[no-agent] printed defer-agent: lines although it ran without the agent: " + lines.get(0));
                }
                continue;
            }
            List<String> bad = lines.stream().filter(l -> !AGENT_INFO.matcher(l).find()).collect(Collectors.toList());
            out.println("compat: [agent] " + lines.size() + " 'defer-agent:' line(s), " + bad.size() + " of them about a problem");
            Pattern rewrote = Pattern.compile("^defer-agent: rewrote ([\\w$.]+)\\.([^.(]+)\\(");
            TreeSet<String> classes = new TreeSet<>();
            long methods = 0;
            for (String l : lines) {
                Matcher m = rewrote.matcher(l);
                if (m.find()) {
                    methods++;
                    classes.add(m.group(1));
                }
            }
            Set<String> inTestsJar = classNames(testsJar);
            long fromTests = classes.stream().filter(inTestsJar::contains).count();
            out.println("compat: [agent] rewrote " + methods + " method(s) in " + classes.size() + " class(es): "
                    + (classes.size() - fromTests) + " of the library, " + fromTests + " of its tests jar");
            if (verbose && methods == 0) {
                problems.add("the agent (verbose) reported no rewritten method: with nothing rewritten the comparison proves nothing");
            }
            for (String prefix : all.split(":")) {
                if (verbose && classes.stream().noneMatch(c -> c.startsWith(prefix))) {
                    problems.add("no class of " + prefix + " was rewritten");
                }
            }
            bad.stream().limit(MAX_LISTED).forEach(l -> out.println("compat:   " + l));
            if (bad.size() > MAX_LISTED) {
                out.println("compat:   ... (" + (bad.size() - MAX_LISTED) + " more in " + r.stderr + " / " + r.stdout + ")");
            }
            if (!bad.isEmpty()) {
                problems.add(bad.size() + " defer-agent: line(s) reporting a problem, first: " + bad.get(0));
            }
        }
    }

    /** Class-loading errors in the agent run's output that the plain run does not have. */
    private void checkLinkage(RunResult plain, RunResult agent) throws IOException {
        Map<String, Long> p = linkage(plain);
        Map<String, Long> a = linkage(agent);
        for (Map.Entry<String, Long> e : a.entrySet()) {
            long before = p.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > before) {
                String first = firstLineWith(agent, e.getKey());
                problems.add(e.getKey() + " appears " + e.getValue() + " time(s) in the agent run's output, " + before
                        + " without the agent; first: " + first);
            }
        }
    }

    private static Map<String, Long> linkage(RunResult r) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (Path f : List.of(r.stdout, r.stderr)) {
            for (String line : readLines(f)) {
                Matcher x = LINKAGE_PROBLEM.matcher(line);
                while (x.find()) {
                    m.merge(x.group(), 1L, Long::sum);
                }
            }
        }
        return m;
    }

    private static String firstLineWith(RunResult r, String needle) throws IOException {
        for (Path f : List.of(r.stdout, r.stderr)) {
            for (String line : readLines(f)) {
                if (line.contains(needle)) {
                    return line.strip();
                }
            }
        }
        return "";
    }

    private static String summary(RunResult r) {
        return String.format(Locale.ROOT, "%s tests started, %s successful, %s aborted, %s failed, %s skipped (of %s found); "
                        + "%s containers failed",
                fmt(r.count("tests started")), fmt(r.count("tests successful")), fmt(r.count("tests aborted")),
                fmt(r.count("tests failed")), fmt(r.count("tests skipped")), fmt(r.count("tests found")),
                fmt(r.count("containers failed")));
    }

    private static String fmt(long n) {
        return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Lines of a log; undecodable bytes must not stop the check. */
    private static List<String> readLines(Path f) throws IOException {
        if (!Files.exists(f)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(f);
        return new String(bytes, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
