package dev.defer.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** The demonstration that {@code java -jar defer-sample-app.jar} prints. */
class MainTest {
    @Test
    void theDemonstrationImportsTheDeliveryAndRefusesTheOrder() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        // The failed import's warning and stack trace are the demonstration's, not the build's.
        Logger log = Logger.getLogger(StockServer.class.getName());
        log.setUseParentHandlers(false);
        try {
            Main.demo(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        } finally {
            log.setUseParentHandlers(true);
        }
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals("POST /import -> 200", lines.get(0));
        assertEquals("  imported 2 movements from 1 files", lines.get(1));
        assertEquals(List.of("GET /stock -> 200", "  bolt-m6=40", "  nut-m6=25"), lines.subList(2, 5));
        assertEquals("POST /import -> 500", lines.get(5));
        assertTrue(lines.get(6).contains("STOCK_NOT_NEGATIVE"), lines.get(6));
        assertEquals(List.of("GET /stock -> 200", "  bolt-m6=40", "  nut-m6=25"), lines.subList(lines.size() - 3, lines.size()));
    }
}
