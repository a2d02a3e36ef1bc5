package dev.defer.agent;

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

    /**
     * Parses the text after {@code =} in {@code -javaagent:defer-agent.jar=...}.
     *
     * @throws IllegalArgumentException naming the option that is wrong and the ones that exist
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
                } else if (trimmed.startsWith("dump=") && trimmed.length() > "dump=".length()) {
                    dump = Paths.get(trimmed.substring("dump=".length()));
                } else if (trimmed.startsWith("all=") && trimmed.length() > "all=".length()) {
                    for (String prefix : trimmed.substring("all=".length()).split(":")) {
                        if (!prefix.isBlank()) {
                            all.add(prefix.trim());
                        }
                    }
                } else if (!trimmed.isEmpty()) {
                    throw new IllegalArgumentException("defer-agent: unknown option '" + trimmed + "' in '" + text
                            + "'. Options, comma-separated: verbose, dump=DIR, all=PREFIX[:PREFIX...]");
                }
            }
        }
        return new AgentOptions(verbose, dump, List.copyOf(all));
    }
}
