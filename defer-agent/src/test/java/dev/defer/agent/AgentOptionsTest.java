package dev.defer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void noOptionsMeansQuietAndAnnotatedOnly() {
        AgentOptions options = AgentOptions.parse(null);
        assertFalse(options.verbose);
        assertNull(options.dumpDirectory);
        assertTrue(options.allPrefixes.isEmpty());
        assertFalse(AgentOptions.parse("").verbose);
    }

    @Test
    void everyOptionIsRead() {
        AgentOptions options = AgentOptions.parse("verbose,dump=/tmp/x,all=org.a:org.b");
        assertTrue(options.verbose);
        assertEquals(Paths.get("/tmp/x"), options.dumpDirectory);
        assertEquals(List.of("org.a", "org.b"), options.allPrefixes);
    }

    @Test
    void unknownOptionNamesItselfAndTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("verbos"));
        assertTrue(e.getMessage().contains("'verbos'"), e.getMessage());
        assertTrue(e.getMessage().contains("verbose, dump=DIR, all=PREFIX"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dump="));
    }
}
