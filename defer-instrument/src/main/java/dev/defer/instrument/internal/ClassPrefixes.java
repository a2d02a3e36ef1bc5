package dev.defer.instrument.internal;

import java.util.List;
import java.util.function.Predicate;

/**
 * The agent's {@code all=} prefixes as internal names: whether a class is in one of those packages (or is that
 * class). A class of its own, apart from the rewrite, so that the agent's {@code premain} can make it without
 * loading the rewrite's classes, and not a lambda: the JVM's first lambda costs milliseconds of start-up.
 */
public final class ClassPrefixes implements Predicate<String> {
    private final String[] prefixes;

    /**
     * @param allPrefixes package or class name prefixes, dotted ({@code org.apache.commons.lang3}); a prefix covers
     *     that package, its subpackages and a class of that exact name
     */
    public ClassPrefixes(List<String> allPrefixes) {
        prefixes = new String[allPrefixes.size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = allPrefixes.get(i).replace('.', '/');
        }
    }

    /**
     * @param className an internal class name ({@code com/example/Foo})
     * @return whether one of the prefixes covers it
     */
    @Override
    public boolean test(String className) {
        // Usually no prefix at all: asked for every class the agent sees, answered without a loop body.
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)
                    && (className.length() == prefix.length() || className.charAt(prefix.length()) == '/'
                            || prefix.endsWith("/"))) {
                return true;
            }
        }
        return false;
    }
}
