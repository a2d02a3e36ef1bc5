package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Kotlin's SMAP as kotlinc 2.2 writes it: Use.kt (29 lines) calls closeOnExit of Helpers.kt at lines 8 and 14. */
class SourceMapTest {
    private static final String KOTLINC_SMAP = "SMAP\nUse.kt\nKotlin\n*S Kotlin\n*F\n+ 1 Use.kt\nk/UseKt\n"
            + "+ 2 Helpers.kt\nk/HelpersKt\n*L\n1#1,29:1\n6#2,2:30\n6#2,2:32\n*S KotlinDebug\n*F\n+ 1 Use.kt\n"
            + "k/UseKt\n*L\n8#1:30,2\n14#1:32,2\n*E\n";

    @Test
    void inlinedLinesMapToTheInlineFunctionsFileAndToTheCall() {
        SourceMap map = SourceMap.parse(KOTLINC_SMAP);
        assertEquals("Helpers.kt:6", map.origin(30).toString());
        assertEquals("Helpers.kt:7", map.origin(31).toString());
        assertEquals("Helpers.kt:6", map.origin(32).toString());
        assertEquals("Use.kt:8", map.callSite(30).toString());
        assertEquals("Use.kt:8", map.callSite(31).toString());
        assertEquals("Use.kt:14", map.callSite(33).toString());
    }

    @Test
    void theClasssOwnLinesAndUnknownLinesMapToNothing() {
        SourceMap map = SourceMap.parse(KOTLINC_SMAP);
        assertNull(map.origin(5));
        assertNull(map.origin(34));
        assertNull(map.callSite(5));
    }

    @Test
    void anInlineFunctionOfTheSameFileMapsToItsOwnLines() {
        // O.kt (12 lines): inline fun noArg at line 5, called at lines 9 and 12.
        SourceMap map = SourceMap.parse("SMAP\nO.kt\nKotlin\n*S Kotlin\n*F\n+ 1 O.kt\no/OKt\n*L\n1#1,13:1\n"
                + "5#1,2:14\n5#1,2:16\n*S KotlinDebug\n*F\n+ 1 O.kt\no/OKt\n*L\n9#1:14,2\n12#1:16,2\n*E\n");
        assertNull(map.origin(9));
        assertEquals("O.kt:5", map.origin(14).toString());
        assertEquals("O.kt:9", map.callSite(14).toString());
        assertEquals("O.kt:12", map.callSite(16).toString());
    }

    @Test
    void absentOrForeignMapsMapNothing() {
        assertNull(SourceMap.parse(null).origin(30));
        assertNull(SourceMap.parse("not an smap").origin(30));
        String valid = "SMAP\nX.kt\nKotlin\n*S Kotlin\n*F\n+ 1 X.kt\nX.kt\n+ 2 Y.kt\nY.kt\n*L\n1#1,9:1\n1#2,3:20\n";
        assertEquals("Y.kt:2", SourceMap.parse(valid + "*E\n").origin(21).toString());
        // One line this reader cannot follow: nothing is mapped rather than something wrong.
        assertNull(SourceMap.parse(valid + "broken:x\n*E\n").origin(21));
    }
}
