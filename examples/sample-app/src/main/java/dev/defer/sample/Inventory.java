package dev.defer.sample;

import dev.defer.Defer;
import dev.defer.Defers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The stock table of an H2 database: one row per SKU with its quantity, which the database keeps from going below
 * zero. Every method opens its own connection and defers its close, as Go code defers {@code rows.Close()}.
 */
public final class Inventory {
    private final String url;

    /**
     * @param url the JDBC URL of the database, e.g. {@code jdbc:h2:mem:stock;DB_CLOSE_DELAY=-1}
     */
    public Inventory(String url) {
        this.url = url;
    }

    /**
     * An in-memory database that lives as long as the JVM, with the stock table created.
     *
     * @param name the database's name; two inventories with the same name share their rows
     * @return the inventory
     * @throws SQLException if H2 cannot create the table
     */
    public static Inventory inMemory(String name) throws SQLException {
        Inventory inventory = new Inventory("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        inventory.createTable();
        return inventory;
    }

    /**
     * Opens a connection; the caller closes it.
     *
     * @return a new connection in auto-commit mode
     * @throws SQLException if the database cannot be reached
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /**
     * Creates the stock table unless it exists.
     *
     * @throws SQLException if the statement fails
     */
    @Defers
    public void createTable() throws SQLException {
        Connection connection = connect();
        Defer.defer(connection::close);
        Statement statement = connection.createStatement();
        Defer.defer(statement::close);
        statement.execute("CREATE TABLE IF NOT EXISTS stock (sku VARCHAR(64) PRIMARY KEY,"
                + " quantity INT NOT NULL CONSTRAINT stock_not_negative CHECK (quantity >= 0))");
    }

    /**
     * Every SKU with its quantity.
     *
     * @return the rows, sorted by SKU
     * @throws SQLException if the query fails
     */
    @Defers
    public Map<String, Integer> stock() throws SQLException {
        Connection connection = connect();
        Defer.defer(connection::close);
        Statement statement = connection.createStatement();
        Defer.defer(statement::close);
        ResultSet rows = statement.executeQuery("SELECT sku, quantity FROM stock");
        Defer.defer(rows::close);
        Map<String, Integer> stock = new TreeMap<>();
        while (rows.next()) {
            stock.put(rows.getString(1), rows.getInt(2));
        }
        return stock;
    }

    /**
     * The quantity of one SKU.
     *
     * @param sku the SKU
     * @return its quantity, or empty when the SKU has no row
     * @throws SQLException if the query fails
     */
    @Defers
    public OptionalInt quantity(String sku) throws SQLException {
        Connection connection = connect();
        Defer.defer(connection::close);
        PreparedStatement query = connection.prepareStatement("SELECT quantity FROM stock WHERE sku = ?");
        Defer.defer(query::close);
        query.setString(1, sku);
        ResultSet rows = query.executeQuery();
        Defer.defer(rows::close);
        return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
    }
}
