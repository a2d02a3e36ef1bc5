package dev.defer.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import's transaction and its files, against a real H2 database. */
class StockImporterTest {
    @TempDir
    Path dir;

    Inventory inventory;
    TrackingOpener opener;
    StockImporter importer;

    @BeforeEach
    void freshDatabase() throws SQLException {
        inventory = Inventory.inMemory("test-" + UUID.randomUUID());
        opener = new TrackingOpener();
        importer = new StockImporter(inventory, opener);
    }

    Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aGoodImportCommitsEveryFileAndClosesThemLastOpenedFirst() throws Exception {
        Path a = file("a.csv", "# delivery\nbolt-m6,+40\nnut-m6,25\n\n");
        Path b = file("b.csv", "bolt-m6,-15\nwasher,7\n");
        Path c = file("c.csv", "nut-m6,-5\n");

        assertEquals(5, importer.importFiles(List.of(a, b, c)));

        assertEquals(Map.of("bolt-m6", 25, "nut-m6", 20, "washer", 7), inventory.stock());
        assertEquals(Set.of(), opener.stillOpen());
        // The defer in the loop keeps every file open until the transaction ends, then closes them in reverse.
        assertEquals(3, opener.mostOpenAtOnce);
        assertEquals(List.of(c, b, a), opener.closed);
    }

    @Test
    void aQuantityBelowZeroRollsBackTheWholeImportAndTheCallerSeesTheDatabasesError() throws Exception {
        importer.importFiles(List.of(file("stock.csv", "bolt-m6,10\n")));
        Path delivery = file("delivery.csv", "bolt-m6,+5\nnut-m6,+3\n");
        Path order = file("order.csv", "nut-m6,-1\nbolt-m6,-20\nnut-m6,-1\n");

        SQLException e = assertThrows(SQLException.class, () -> importer.importFiles(List.of(delivery, order)));

        assertTrue(e.getMessage().contains("STOCK_NOT_NEGATIVE"), e.getMessage());
        assertEquals(Map.of("bolt-m6", 10), inventory.stock());
        assertEquals(Set.of(), opener.stillOpen());
        assertEquals(List.of(order, delivery), opener.closed.subList(1, 3));
    }

    @Test
    void aMalformedLineRollsBackAndNamesTheFileAndTheLine() throws Exception {
        Path good = file("good.csv", "bolt-m6,4\n");
        Path bad = file("bad.csv", "nut-m6,2\nnut-m6 two\n");
        Path never = file("never.csv", "washer,1\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> importer.importFiles(List.of(good, bad, never)));

        assertTrue(e.getMessage().startsWith("bad.csv:2: expected sku,change"), e.getMessage());
        assertEquals(Map.of(), inventory.stock());
        assertEquals(Set.of(), opener.stillOpen());
        assertEquals(List.of(bad, good), opener.closed);
    }

    @Test
    void aFileThatCannotBeOpenedRollsBackAndTheOpenOnesAreClosed() throws Exception {
        Path good = file("good.csv", "bolt-m6,4\n");
        Path missing = dir.resolve("missing.csv");

        assertThrows(NoSuchFileException.class, () -> importer.importFiles(List.of(good, missing)));

        assertEquals(Map.of(), inventory.stock());
        assertEquals(List.of(good), opener.closed);
    }

    @Test
    void previewClosesEachFileBeforeOpeningTheNext() throws Exception {
        Path a = file("a.csv", "bolt-m6,1\n# note\nnut-m6,2\n");
        Path b = file("b.csv", "washer,3\n");

        assertEquals(Map.of(a, 2, b, 1), importer.preview(List.of(a, b)));

        assertEquals(1, opener.mostOpenAtOnce);
        assertEquals(List.of(a, b), opener.closed);
        assertEquals(Map.of(), inventory.stock());
    }

    @Test
    void previewClosesTheFileWhoseLineIsMalformed() throws Exception {
        Path a = file("a.csv", "bolt-m6,1\n");
        Path b = file("b.csv", "washer;3\n");

        assertThrows(IllegalArgumentException.class, () -> importer.preview(List.of(a, b)));

        assertEquals(Set.of(), opener.stillOpen());
        assertEquals(List.of(a, b), opener.closed);
    }
}
