package dev.defer.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What {@code benchmarks/run.sh} recorded about the run: the commands, the start and end, the machine. A
 * {@code key=value} file; every key is optional.
 */
final class RunInfo {
    private final Properties properties = new Properties();

    static RunInfo read(Path file) throws IOException {
        RunInfo info = new RunInfo();
        if (file != null && Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                info.properties.load(reader);
            }
        }
        return info;
    }

    String get(String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String get(String key, String otherwise) {
        String value = get(key);
        return value == null ? otherwise : value;
    }
}
