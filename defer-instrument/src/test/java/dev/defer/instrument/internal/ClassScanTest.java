package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The constant-pool walk agrees with a search of every byte, and is exact about whole entries. */
class ClassScanTest {
    private static byte[] bytesOf(String resource) throws IOException {
        try (InputStream in = ClassScanTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theWalkFindsWhatTheByteSearchFinds() throws IOException {
        String[] classes = {"/dev/defer/instrument/targets/Shapes.class", "/dev/defer/instrument/targets/LoopShapes.class",
            "/java/lang/String.class", "/java/util/HashMap.class", "/dev/defer/instrument/internal/ClassScan.class"};
        String[] strings = {"Ldev/defer/Defers;", "dev/defer/Defer", "java/lang/Object", "dev.defer.Rewritten", "nothing/Here"};
        int found = 0;
        for (String name : classes) {
            byte[] data = name.startsWith("/java/") ? platformClass(name) : bytesOf(name);
            for (String string : strings) {
                byte[] pattern = string.getBytes(StandardCharsets.US_ASCII);
                boolean walk = ClassScan.contains(data, pattern);
                // The byte search also finds the string inside longer entries; the walk only whole entries.
                assertTrue(!walk || ClassScan.containsAnywhere(data, pattern), name + " " + string);
                found += walk ? 1 : 0;
            }
        }
        assertTrue(found >= 8, "whole entries found: " + found);
        assertTrue(ClassScan.mentionsDefers(bytesOf("/dev/defer/instrument/targets/Shapes.class")));
        assertTrue(ClassScan.mentionsDeferApi(bytesOf("/dev/defer/instrument/targets/Shapes.class")));
        assertFalse(ClassScan.mentionsDefers(platformClass("/java/lang/String.class")));
    }

    @Test
    void aTruncatedOrUnknownConstantPoolFallsBackToTheByteSearch() throws IOException {
        byte[] data = bytesOf("/dev/defer/instrument/targets/Shapes.class");
        byte[] pattern = "Ldev/defer/Defers;".getBytes(StandardCharsets.US_ASCII);
        byte[] truncated = Arrays.copyOf(data, 40);
        assertEquals(ClassScan.containsAnywhere(truncated, pattern), ClassScan.contains(truncated, pattern));
        byte[] unknownTag = data.clone();
        unknownTag[10] = 99;
        assertTrue(ClassScan.contains(unknownTag, pattern), "falls back to the byte search");
    }

    private static byte[] platformClass(String name) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
