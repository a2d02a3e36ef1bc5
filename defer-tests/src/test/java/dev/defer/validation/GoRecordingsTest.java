package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorded outputs of the Go programs are what Go prints: when {@code go} is on the PATH, each program
 * runs again and its output must equal the recording that the Java twins are held to. Without Go, only
 * this check is skipped; the twins still assert the recordings.
 */
class GoRecordingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"seed_f1", "seed_f1_t5", "seed_f2", "seed_f3", "seed_a", "seed_b", "seed_e123",
            "defer_code_6", "defer_code_7", "rules", "blog"})
    void goPrintsWhatWasRecorded(String program) throws Exception {
        List<String> recorded = Go.recorded(program);
        assertFalse(recorded.isEmpty(), "go/" + program + ".out is empty");
        Path go = Go.command().orElse(null);
        Assumptions.assumeTrue(go != null, "go is not on the PATH: the recorded output is used as it is");
        assertEquals(recorded, Go.run(go, program));
    }
}
