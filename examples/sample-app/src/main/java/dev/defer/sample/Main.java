package dev.defer.sample;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the inventory service. Without arguments, a demonstration: it imports a good stock file over HTTP, then a
 * file that would take a quantity below zero (a 500, and nothing of that file is kept), and prints each exchange.
 * With {@code serve INBOX [PORT]}, it serves until stopped.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args none for the demonstration, or {@code serve INBOX [PORT]}
     * @throws Exception if the service cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            demo(System.out);
        } else if (args[0].equals("serve") && (args.length == 2 || args.length == 3)) {
            int port = args.length == 3 ? Integer.parseInt(args[2]) : 8080;
            Inventory inventory = Inventory.inMemory("stock");
            StockServer server = StockServer.start(inventory, new StockImporter(inventory), Path.of(args[1]), port);
            System.out.println("serving " + server.uri() + " (GET /stock, GET /stock/SKU, POST /import of "
                    + Path.of(args[1]).toAbsolutePath() + "/*.csv); stop with Ctrl-C");
        } else {
            System.err.println("usage: java -jar defer-sample-app.jar [serve INBOX [PORT]]");
            System.exit(2);
        }
    }

    /**
     * The demonstration: a temporary inbox, a server on a free port, four requests.
     *
     * @param out where the exchanges are printed
     * @throws IOException if the inbox or the server cannot be made
     * @throws InterruptedException if interrupted while waiting for a response
     * @throws SQLException if the database cannot be created
     */
    public static void demo(PrintStream out) throws IOException, InterruptedException, SQLException {
        Path inbox = Files.createTempDirectory("defer-sample-inbox");
        Inventory inventory = Inventory.inMemory("demo-" + System.nanoTime());
        HttpClient client = HttpClient.newHttpClient();
        try (StockServer server = StockServer.start(inventory, new StockImporter(inventory), inbox, 0)) {
            Files.writeString(inbox.resolve("1-delivery.csv"), "# delivery\nbolt-m6,+40\nnut-m6,+25\n");
            exchange(client, out, "POST", server.uri().resolve("import"));
            exchange(client, out, "GET", server.uri().resolve("stock"));
            // Takes 30 nuts out of 25: the database refuses, and the file's first movement is rolled back too.
            Files.writeString(inbox.resolve("2-order.csv"), "bolt-m6,-10\nnut-m6,-30\n");
            exchange(client, out, "POST", server.uri().resolve("import"));
            exchange(client, out, "GET", server.uri().resolve("stock"));
        } finally {
            Path imported = inbox.resolve("imported");
            for (Path file : List.of(imported.resolve("1-delivery.csv"), imported, inbox.resolve("2-order.csv"), inbox)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void exchange(HttpClient client, PrintStream out, String method, URI uri)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        out.println(method + " " + uri.getPath() + " -> " + response.statusCode());
        response.body().lines().forEach(line -> out.println("  " + line));
    }
}
