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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("verbose,verbos"));
        assertEquals("defer-agent: unknown option 'verbos' in the agent options 'verbose,verbos'; write the valid"
                + " ones, comma-separated: verbose, dump=DIR, all=PREFIX[:PREFIX...]", e.getMessage());
    }

    @Test
    void anOptionWithoutItsValueSaysWhatItNeeds() {
        for (String text : List.of("dump=", "dump= ", "all=", "all=:", "verbose,all= : ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(text));
            String option = text.substring(text.lastIndexOf(',') + 1).trim();
            assertTrue(e.getMessage().startsWith("defer-agent: option '" + option + "' needs a "), e.getMessage());
            assertTrue(e.getMessage().endsWith("comma-separated: " + AgentOptions.VALID), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("dump=a\0b"));
        assertTrue(e.getMessage().startsWith("defer-agent: option 'dump=a\0b' is not a folder ("), e.getMessage());
    }
}
