package dev.defer.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.defer.Defer;
import dev.defer.Defers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The inventory over HTTP, on the loopback address only:
 * <ul>
 * <li>{@code GET /stock}: every SKU with its quantity, one {@code sku=quantity} line each;</li>
 * <li>{@code GET /stock/SKU}: the SKU's quantity, or 404;</li>
 * <li>{@code POST /import}: imports every {@code *.csv} file of the inbox folder, by name, in one transaction, then
 * moves them into its {@code imported} folder; after a failure they stay in the inbox.</li>
 * </ul>
 * The routes throw on any failure; {@link #handle} recovers the panic into a 500 whose body says what failed, as
 * Go's {@code net/http} recovers a panicking handler, and logs it with its stack trace.
 */
public final class StockServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StockServer.class.getName());

    private final HttpServer server;
    private final Inventory inventory;
    private final StockImporter importer;
    private final Path inbox;

    private StockServer(HttpServer server, Inventory inventory, StockImporter importer, Path inbox) {
        this.server = server;
        this.inventory = inventory;
        this.importer = importer;
        this.inbox = inbox;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param inventory the inventory it serves
     * @param importer what {@code POST /import} runs
     * @param inbox the folder whose {@code *.csv} files {@code POST /import} imports
     * @param port the port, or 0 for any free one
     * @return the running server; {@link #close} stops it
     * @throws IOException if the port cannot be bound
     */
    public static StockServer start(Inventory inventory, StockImporter importer, Path inbox, int port)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        StockServer server = new StockServer(http, inventory, importer, inbox);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /**
     * @return the server's address, such as {@code http://127.0.0.1:43567/}
     */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
    }

    @Defers
    void handle(HttpExchange exchange) throws IOException {
        Defer.defer(exchange::close);
        Defer.defer(() -> {
            Object panic = Defer.recover();
            if (panic != null) {
                LOG.log(Level.WARNING, exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed",
                        panic instanceof Throwable ? (Throwable) panic : null);
                // One line: the log has the rest, and the SQL of a database error is no business of the client's.
                send(exchange, 500, "internal error: " + panic.toString().lines().findFirst().orElse("") + "\n");
            }
        });
        Response response;
        try {
            response = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
        } catch (SQLException e) {
            // HttpHandler.handle may throw IOException only: the SQLException itself panics, unwrapped.
            throw Defer.panic(e);
        }
        send(exchange, response.status(), response.body());
    }

    private record Response(int status, String body) {
    }

    private Response route(String method, String path) throws IOException, SQLException {
        if (method.equals("GET") && path.equals("/stock")) {
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, Integer> row : inventory.stock().entrySet()) {
                body.append(row.getKey()).append('=').append(row.getValue()).append('\n');
            }
            return new Response(200, body.toString());
        }
        if (method.equals("GET") && path.startsWith("/stock/")) {
            String sku = path.substring("/stock/".length());
            OptionalInt quantity = inventory.quantity(sku);
            return quantity.isPresent() ? new Response(200, quantity.getAsInt() + "\n")
                    : new Response(404, "no such SKU: " + sku + "\n");
        }
        if (method.equals("POST") && path.equals("/import")) {
            List<Path> files = inboxFiles();
            int applied = importer.importFiles(files);
            Path imported = Files.createDirectories(inbox.resolve("imported"));
            for (Path file : files) {
                Files.move(file, imported.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return new Response(200, "imported " + applied + " movements from " + files.size() + " files\n");
        }
        return new Response(404, "no route for " + method + " " + path + "\n");
    }

    private List<Path> inboxFiles() throws IOException {
        try (Stream<Path> entries = Files.list(inbox)) {
            return entries.filter(file -> file.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
