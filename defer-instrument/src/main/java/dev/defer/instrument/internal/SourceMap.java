package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A class's SMAP (JSR-45, the {@code SourceDebugExtension} attribute) as kotlinc writes it: code that Kotlin
 * inlined from another function carries line numbers past the end of the class's source file, which the
 * {@code Kotlin} stratum maps to the inline function's file and line, and the {@code KotlinDebug} stratum to
 * the line of the call in the class's own file. Read without loading anything; a malformed or absent SMAP maps
 * nothing, so lines are then reported as the class file gives them.
 */
public final class SourceMap {
    private static final SourceMap NONE = new SourceMap(Map.of());

    /** Each stratum's line ranges. */
    private final Map<String, List<Range>> strata;

    private SourceMap(Map<String, List<Range>> strata) {
        this.strata = strata;
    }

    /**
     * @param sourceDebug the class's {@code SourceDebugExtension}, or null
     * @return its map; one that maps nothing when there is none or it cannot be read
     */
    public static SourceMap parse(String sourceDebug) {
        if (sourceDebug == null || !sourceDebug.startsWith("SMAP")) {
            return NONE;
        }
        try {
            Map<String, List<Range>> strata = new HashMap<>();
            Map<Integer, String> files = new HashMap<>();
            List<Range> ranges = null;
            String section = "";
            String[] lines = sourceDebug.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].trim();
                if (line.startsWith("*S ")) {
                    files = new HashMap<>();
                    ranges = new ArrayList<>();
                    strata.put(line.substring(3).trim(), ranges);
                    section = "";
                } else if (line.startsWith("*")) {
                    section = line;
                } else if (section.equals("*F") && line.startsWith("+ ")) {
                    // "+ id name" then the path on the next line.
                    String[] parts = line.substring(2).trim().split(" ", 2);
                    files.put(Integer.parseInt(parts[0]), parts[1]);
                    i++;
                } else if (section.equals("*L") && ranges != null && !line.isEmpty()) {
                    ranges.add(Range.parse(line, files));
                }
            }
            return new SourceMap(strata);
        } catch (RuntimeException e) {
            // An SMAP from another tool that this reader does not follow: lines stay as compiled.
            return NONE;
        }
    }

    /**
     * Where a line of the class file comes from, in the {@code Kotlin} stratum: for inlined code, the inline
     * function's file and line.
     *
     * @param line a line number of the class file
     * @return the file and line (the class's own file too, for an inline function of the same file), or null
     *     when the line is the class's own or the map does not cover it
     */
    public Location origin(int line) {
        return map("Kotlin", line, true);
    }

    /**
     * Where a line of inlined code is called from, in the class's own file ({@code KotlinDebug} stratum).
     *
     * @param line a line number of the class file
     * @return the call's file and line, or null when the map does not cover the line
     */
    public Location callSite(int line) {
        return map("KotlinDebug", line, false);
    }

    private Location map(String stratum, int line, boolean skipOwnLines) {
        List<Range> ranges = strata.get(stratum);
        if (ranges == null) {
            return null;
        }
        for (Range range : ranges) {
            Location location = range.map(line);
            if (location != null) {
                // The Kotlin stratum maps the class's own lines onto themselves (file 1); inlined code, even
                // from the same file, maps elsewhere.
                return skipOwnLines && range.fileId == 1 && location.line() == line ? null : location;
            }
        }
        return null;
    }

    /** A file name and a line. */
    public static final class Location {
        private final String file;
        private final int line;

        Location(String file, int line) {
            this.file = file;
            this.line = line;
        }

        /**
         * @return the source file's name, e.g. {@code Helpers.kt}
         */
        public String file() {
            return file;
        }

        /**
         * @return the line in it
         */
        public int line() {
            return line;
        }

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** {@code InputStartLine#FileId,RepeatCount:OutputStartLine,OutputLineIncrement}. */
    private static final class Range {
        private final int inputStart;
        private final int fileId;
        private final String file;
        private final int repeat;
        private final int outputStart;
        private final int increment;

        private Range(int inputStart, int fileId, String file, int repeat, int outputStart, int increment) {
            this.inputStart = inputStart;
            this.fileId = fileId;
            this.file = file;
            this.repeat = repeat;
            this.outputStart = outputStart;
            this.increment = increment;
        }

        static Range parse(String text, Map<Integer, String> files) {
            String[] sides = text.split(":", 2);
            String input = sides[0];
            String output = sides[1];
            int repeat = 1;
            int comma = input.indexOf(',');
            if (comma >= 0) {
                repeat = Integer.parseInt(input.substring(comma + 1));
                input = input.substring(0, comma);
            }
            int fileId = 1;
            int hash = input.indexOf('#');
            if (hash >= 0) {
                fileId = Integer.parseInt(input.substring(hash + 1));
                input = input.substring(0, hash);
            }
            int increment = 1;
            comma = output.indexOf(',');
            if (comma >= 0) {
                increment = Integer.parseInt(output.substring(comma + 1));
                output = output.substring(0, comma);
            }
            return new Range(Integer.parseInt(input), fileId, files.get(fileId), repeat, Integer.parseInt(output),
                    increment);
        }

        Location map(int line) {
            int step = Math.max(increment, 1);
            if (file == null || line < outputStart || line >= outputStart + repeat * step) {
                return null;
            }
            return new Location(file, inputStart + (line - outputStart) / step);
        }
    }
}
