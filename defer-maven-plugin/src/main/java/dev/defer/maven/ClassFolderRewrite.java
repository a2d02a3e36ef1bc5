package dev.defer.maven;

import dev.defer.instrument.MisuseScanner;
import dev.defer.instrument.OfflineInstrumenter;
import dev.defer.instrument.VerboseText;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * What the rewriting goals do to their class folder, or to the packaged jar ({@code instrument-jar}), apart from
 * Maven's wiring, so that it can be tested alone.
 */
final class ClassFolderRewrite {
    private final Log log;
    private final boolean failOnMisuse;
    private final boolean verbose;

    ClassFolderRewrite(Log log, boolean failOnMisuse, boolean verbose) {
        this.log = log;
        this.failOnMisuse = failOnMisuse;
        this.verbose = verbose;
    }

    /**
     * Checks every class of the folder, or the jar, then rewrites it in place when the checks pass, and reports
     * what it found. When they fail, nothing is written: the classes stay as the compiler wrote them.
     *
     * @param directory the class folder or a jar; nothing happens when it does not exist
     * @throws MojoFailureException when a class cannot be rewritten, or on misuse with failOnMisuse
     * @throws MojoExecutionException when a file cannot be read or written
     */
    void run(File directory) throws MojoExecutionException, MojoFailureException {
        boolean jar = directory.isFile();
        if (!jar && !directory.isDirectory()) {
            log.info("defer: no classes to rewrite (" + directory + " does not exist)");
            return;
        }
        Path folder = directory.toPath();
        OfflineInstrumenter.Report report;
        try {
            OfflineInstrumenter instrumenter = new OfflineInstrumenter();
            report = jar ? instrumenter.rewriteJar(folder, folder, !failOnMisuse)
                    : instrumenter.rewriteDirectory(folder, folder, !failOnMisuse);
        } catch (IOException e) {
            throw new MojoExecutionException("defer: cannot rewrite the classes in " + directory + ": " + e, e);
        }
        List<String> lines = new ArrayList<>();
        for (OfflineInstrumenter.RewrittenClass rewritten : report.rewritten()) {
            for (String method : rewritten.methods()) {
                lines.add("defer: rewrote " + rewritten.className() + "." + VerboseText.method(method));
            }
            if (rewritten.methods().isEmpty()) {
                lines.add("defer: rewrote " + rewritten.className() + ": "
                        + VerboseText.panicSites(rewritten.panicSites()));
            }
        }
        if (!lines.isEmpty()) {
            lines.add(0, "defer: " + VerboseText.STRATEGIES);
        }
        for (String path : report.alreadyRewrittenClasses()) {
            lines.add("defer: skipped " + OfflineInstrumenter.classNameOf(path) + ": already rewritten");
        }
        for (String line : lines) {
            if (verbose) {
                log.info(line);
            } else {
                log.debug(line);
            }
        }
        log.info("defer: " + directory + ": " + report.summary());
        if (!report.written()) {
            log.error("defer: nothing in " + directory + " was rewritten: every class is as it was;"
                    + " fix the problems below and build again");
        }

        List<String> problems = new ArrayList<>();
        if (!report.failures().isEmpty()) {
            StringBuilder text = new StringBuilder("defer: ").append(count(report.failures().size(), "class"))
                    .append(" in ").append(directory).append(" cannot be rewritten, so nothing was rewritten (their"
                            + " Defer.defer calls would throw IllegalStateException):");
            for (String failure : report.failures()) {
                log.error("defer: " + failure);
                text.append(System.lineSeparator()).append("  ").append(failure);
            }
            problems.add(text.toString());
        }
        if (!report.misuse().isEmpty()) {
            StringBuilder text = new StringBuilder("defer: ")
                    .append(count(report.misuse().size(), "call")).append(" of Defer.defer in ").append(directory)
                    .append(" can never succeed (each throws IllegalStateException when it runs; rule S13):");
            for (MisuseScanner.Finding finding : report.misuse()) {
                String line = "defer: Defer.defer can never succeed in " + finding;
                if (failOnMisuse) {
                    log.error(line);
                } else {
                    log.warn(line);
                }
                text.append(System.lineSeparator()).append("  ").append(finding);
            }
            text.append(System.lineSeparator()).append("Nothing was rewritten. Fix each call as its line says, or set"
                    + " <failOnMisuse>false</failOnMisuse> (-Ddefer.failOnMisuse=false) to report them as warnings"
                    + " only.");
            if (failOnMisuse) {
                problems.add(text.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new MojoFailureException(String.join(System.lineSeparator(), problems));
        }
    }

    private static String count(int n, String noun) {
        String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}
