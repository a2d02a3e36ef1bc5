package dev.defer.agent;

import dev.defer.instrument.MisuseScanner;
import dev.defer.instrument.OfflineInstrumenter;
import dev.defer.instrument.VerboseText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent jar as a command line tool, for builds that cannot use {@code -javaagent} or the Maven plugin:
 *
 * <pre>
 * java -jar defer-agent.jar instrument [--verbose] [--allow-misuse] IN OUT   rewrite a jar or class folder into OUT
 * java -jar defer-agent.jar check [--verbose] IN                             report misuse, write nothing
 * java -jar defer-agent.jar --version                                        the version of the agent jar
 * </pre>
 *
 * Exit codes: 0 when all is well, 1 when a class cannot be rewritten or a {@code Defer.defer} can never succeed
 * (with {@code instrument}, nothing is written then: every class is checked before any is written, and
 * {@code --allow-misuse} lets misuse through), 2 for bad arguments or an I/O error.
 */
public final class Main {
    static final int OK = 0;
    static final int PROBLEMS = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: java -jar defer-agent.jar instrument [--verbose] [--allow-misuse] IN OUT",
            "       java -jar defer-agent.jar check [--verbose] IN",
            "       java -jar defer-agent.jar --version",
            "",
            "  instrument  rewrites the @Defers methods of every class in IN (a jar or a class folder) and writes",
            "              the result to OUT (a jar for a jar, a folder for a folder; OUT may be IN): the program",
            "              then runs without -javaagent, with defer-runtime on its class path",
            "  check       reports, without writing anything, every Defer.defer call that can never succeed and",
            "              every class that cannot be rewritten",
            "  --verbose       prints each rewritten method, and each class skipped as rewritten already",
            "  --allow-misuse  instrument only: reports misplaced Defer.defer calls as warnings (exit code 0)",
            "",
            "exit code: 0 all well, 1 misuse or a class that cannot be rewritten (instrument then writes nothing),",
            "           2 bad arguments or I/O error",
            "as an agent: java -javaagent:defer-agent.jar[=verbose,dump=DIR,all=PREFIX[:PREFIX...]] ...");

    private Main() {
    }

    /**
     * @param args {@code instrument IN OUT} or {@code check IN}, with options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out where the summary and the verbose lines go
     * @param err where errors, warnings and the usage go
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> operands = new ArrayList<>();
        boolean verbose = false;
        boolean allowMisuse = false;
        for (String arg : args) {
            if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.equals("--allow-misuse")) {
                allowMisuse = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE_TEXT);
                return OK;
            } else if (arg.equals("--version")) {
                out.println(version());
                return OK;
            } else if (arg.startsWith("-")) {
                return usage(err, "unknown option " + arg);
            } else {
                operands.add(arg);
            }
        }
        if (operands.isEmpty()) {
            return usage(err, "no command");
        }
        String command = operands.get(0);
        try {
            if (command.equals("instrument")) {
                if (operands.size() != 3) {
                    return usage(err, "instrument takes IN and OUT");
                }
                return instrument(Paths.get(operands.get(1)), Paths.get(operands.get(2)), verbose, allowMisuse, out,
                        err);
            } else if (command.equals("check")) {
                if (operands.size() != 2 || allowMisuse) {
                    return usage(err, allowMisuse ? "--allow-misuse is for instrument" : "check takes IN");
                }
                return check(Paths.get(operands.get(1)), verbose, out, err);
            } else {
                return usage(err, "unknown command " + command);
            }
        } catch (IOException | RuntimeException e) {
            err.println("defer-agent: error: " + e);
            return USAGE;
        }
    }

    /**
     * The line {@code --version} prints: the version the jar's manifest records. Rewritten classes run with
     * the {@code defer-runtime} of the same version.
     */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "defer-agent " + (version != null ? version
                : "(version unknown: not run from the defer-agent jar, whose manifest records it)");
    }

    private static int usage(PrintStream err, String problem) {
        err.println("defer-agent: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static int instrument(Path in, Path out, boolean verbose, boolean allowMisuse, PrintStream stdout,
            PrintStream err) throws IOException {
        OfflineInstrumenter.Report report;
        if (Files.isDirectory(in)) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                return usage(err, "IN " + in + " is a folder, so OUT must be a folder, but " + out + " is a file");
            }
            report = new OfflineInstrumenter().rewriteDirectory(in, out, allowMisuse);
        } else if (Files.isRegularFile(in)) {
            if (Files.isDirectory(out)) {
                return usage(err, "IN " + in + " is a jar, so OUT must be a jar, but " + out + " is a folder");
            }
            report = new OfflineInstrumenter().rewriteJar(in, out, allowMisuse);
        } else {
            return usage(err, "IN " + in + " does not exist");
        }
        print(report, verbose, allowMisuse, stdout, err);
        stdout.println("defer-agent: instrument " + in + " -> " + out + ": " + report.summary());
        if (!report.written()) {
            err.println("defer-agent: error: nothing written to " + out + " (" + in + " is as it was): fix the"
                    + " problems above" + (report.failures().isEmpty() ? ", or pass --allow-misuse" : ""));
            return PROBLEMS;
        }
        return OK;
    }

    private static int check(Path in, boolean verbose, PrintStream stdout, PrintStream err) throws IOException {
        if (!Files.exists(in)) {
            return usage(err, "IN " + in + " does not exist");
        }
        OfflineInstrumenter.Report report = new OfflineInstrumenter().check(in);
        print(report, verbose, false, stdout, err);
        stdout.println("defer-agent: check " + in + ": " + report.summary());
        return report.failures().isEmpty() && report.misuse().isEmpty() ? OK : PROBLEMS;
    }

    private static void print(OfflineInstrumenter.Report report, boolean verbose, boolean allowMisuse,
            PrintStream stdout, PrintStream err) {
        if (verbose) {
            if (!report.rewritten().isEmpty()) {
                stdout.println("defer-agent: " + VerboseText.STRATEGIES);
            }
            for (OfflineInstrumenter.RewrittenClass rewritten : report.rewritten()) {
                for (String method : rewritten.methods()) {
                    stdout.println("defer-agent: rewrote " + rewritten.className() + "."
                            + VerboseText.method(method));
                }
                if (rewritten.methods().isEmpty()) {
                    stdout.println("defer-agent: rewrote " + rewritten.className() + ": "
                            + VerboseText.panicSites(rewritten.panicSites()));
                }
            }
            for (String path : report.alreadyRewrittenClasses()) {
                stdout.println("defer-agent: skipped " + OfflineInstrumenter.classNameOf(path) + ": already rewritten");
            }
        }
        for (String warning : report.warnings()) {
            err.println("defer-agent: warning: " + warning);
        }
        for (String failure : report.failures()) {
            err.println("defer-agent: error: " + failure);
        }
        for (MisuseScanner.Finding finding : report.misuse()) {
            err.println("defer-agent: " + (allowMisuse ? "warning" : "error") + ": Defer.defer can never succeed in "
                    + finding);
        }
    }
}
