package dev.defer.agent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's options: {@code -javaagent:defer-agent.jar=verbose,dump=DIR,all=PREFIX[:PREFIX...]}.
 */
final class AgentOptions {
    final boolean verbose;
    final Path dumpDirectory;
    final List<String> allPrefixes;

    private AgentOptions(boolean verbose, Path dumpDirectory, List<String> allPrefixes) {
        this.verbose = verbose;
        this.dumpDirectory = dumpDirectory;
        this.allPrefixes = allPrefixes;
    }

    /** The valid options, as the error message lists them. */
    static final String VALID = "verbose, dump=DIR, all=PREFIX[:PREFIX...]";

    /**
     * Parses the text after {@code =} in {@code -javaagent:defer-agent.jar=...}.
     *
     * @throws IllegalArgumentException with a one-line message naming the option that is wrong, the valid ones
     *     and the fix
     */
    static AgentOptions parse(String text) {
        boolean verbose = false;
        Path dump = null;
        List<String> all = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String option : text.split(",")) {
                String trimmed = option.trim();
                if (trimmed.equals("verbose")) {
                    verbose = true;
                } else if (trimmed.startsWith("dump=")) {
                    String folder = trimmed.substring("dump=".length()).trim();
                    if (folder.isEmpty()) {
                        throw invalid("option '" + trimmed + "' needs a folder after 'dump='", text);
                    }
                    try {
                        dump = Paths.get(folder);
                    } catch (InvalidPathException e) {
                        throw invalid("option '" + trimmed + "' is not a folder (" + e.getReason() + ")", text);
                    }
                } else if (trimmed.startsWith("all=")) {
                    // A loop, not a stream: no lambda on the start-up path.
                    int before = all.size();
                    for (String prefix : trimmed.substring("all=".length()).split(":")) {
                        if (!prefix.isBlank()) {
                            all.add(prefix.trim());
                        }
                    }
                    if (all.size() == before) {
                        throw invalid("option '" + trimmed + "' needs a package prefix after 'all='", text);
                    }
                } else if (!trimmed.isEmpty()) {
                    throw invalid("unknown option '" + trimmed + "'", text);
                }
            }
        }
        return new AgentOptions(verbose, dump, List.copyOf(all));
    }

    private static IllegalArgumentException invalid(String problem, String text) {
        return new IllegalArgumentException("defer-agent: " + problem + " in the agent options '" + text
                + "'; write the valid ones, comma-separated: " + VALID);
    }
}
