package dev.defer.sample;

import dev.defer.Defer;
import dev.defer.Defers;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports stock files into an {@link Inventory}. A stock file has one {@code sku,change} line per movement
 * ({@code bolt-m6,+40}, {@code nut-m6,-5}); blank lines and lines starting with {@code #} are skipped.
 */
public final class StockImporter {
    /** Opens a stock file for reading; tests pass one that counts the files left open. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @param file the file
         * @return a reader that the importer closes
         * @throws IOException if the file cannot be opened
         */
        BufferedReader open(Path file) throws IOException;
    }

    // Adds the change to the SKU's row, or inserts the row; the table's CHECK rejects a quantity below zero.
    private static final String UPSERT = "MERGE INTO stock s USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS INT)))"
            + " AS m(sku, change) ON s.sku = m.sku"
            + " WHEN MATCHED THEN UPDATE SET quantity = s.quantity + m.change"
            + " WHEN NOT MATCHED THEN INSERT (sku, quantity) VALUES (m.sku, m.change)";

    private final Inventory inventory;
    private final Opener opener;

    /**
     * @param inventory where the movements go
     */
    public StockImporter(Inventory inventory) {
        this(inventory, Files::newBufferedReader);
    }

    /**
     * @param inventory where the movements go
     * @param opener how the files are opened
     */
    public StockImporter(Inventory inventory, Opener opener) {
        this.inventory = inventory;
        this.opener = opener;
    }

    /**
     * Applies every line of every file in one transaction: all of them, or, when any line fails (a malformed line,
     * a quantity that would go below zero, a file that cannot be read), none. Each file is opened in the loop and
     * its close deferred there, so the files stay open until the transaction ends and are closed, last opened
     * first, before it commits or rolls back.
     *
     * @param files the stock files, applied in this order
     * @return the number of lines applied
     * @throws SQLException if the database fails; the transaction is rolled back
     * @throws IOException if a file cannot be read; the transaction is rolled back
     * @throws IllegalArgumentException on a malformed line, naming the file and the line; rolled back too
     */
    @Defers
    public int importFiles(List<Path> files) throws SQLException, IOException {
        Connection connection = inventory.connect();
        Defer.defer(connection::close);
        connection.setAutoCommit(false);
        Defer.defer(() -> {
            // Go: if p := recover(); p != nil { tx.Rollback(); panic(p) }; tx.Commit()
            Object panic = Defer.recover();
            if (panic != null) {
                connection.rollback();
                throw Defer.panic(panic);
            }
            connection.commit();
        });
        PreparedStatement upsert = connection.prepareStatement(UPSERT);
        Defer.defer(upsert::close);
        int applied = 0;
        for (Path file : files) {
            BufferedReader in = opener.open(file);
            Defer.defer(in::close);
            applied += apply(file, in, upsert);
        }
        return applied;
    }

    /**
     * Checks every file and counts its movements without touching the database, one file at a time: each is
     * closed by {@link #count} before the next is opened, as a Go loop calls a function per file so that its
     * {@code defer f.Close()} runs per iteration.
     *
     * @param files the stock files
     * @return each file with its number of movements, in the given order
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException on a malformed line, naming the file and the line
     */
    public Map<Path, Integer> preview(List<Path> files) throws IOException {
        Map<Path, Integer> counts = new LinkedHashMap<>();
        for (Path file : files) {
            counts.put(file, count(file));
        }
        return counts;
    }

    @Defers
    private int count(Path file) throws IOException {
        BufferedReader in = opener.open(file);
        Defer.defer(in::close);
        int movements = 0;
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (Movement.parse(file, number, line) != null) {
                movements++;
            }
        }
        return movements;
    }

    private static int apply(Path file, BufferedReader in, PreparedStatement upsert) throws IOException, SQLException {
        int applied = 0;
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            Movement movement = Movement.parse(file, number, line);
            if (movement != null) {
                upsert.setString(1, movement.sku());
                upsert.setInt(2, movement.change());
                upsert.executeUpdate();
                applied++;
            }
        }
        return applied;
    }
}
