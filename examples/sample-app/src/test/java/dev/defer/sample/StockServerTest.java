package dev.defer.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP requests to a server on 127.0.0.1. */
class StockServerTest {
    @TempDir
    Path inbox;

    Inventory inventory;
    StockServer server;
    final HttpClient client = HttpClient.newHttpClient();

    final Logger log = Logger.getLogger(StockServer.class.getName());
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        // The server's warnings come here instead of the build's output.
        log.addHandler(capture);
        log.setUseParentHandlers(false);
        inventory = Inventory.inMemory("http-" + UUID.randomUUID());
        server = StockServer.start(inventory, new StockImporter(inventory), inbox, 0);
    }

    @AfterEach
    void stop() {
        server.close();
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnTheLoopbackAddressOnly() {
        URI uri = server.uri();
        assertEquals("127.0.0.1", uri.getHost());
        assertTrue(uri.getPort() > 0, uri.toString());
    }

    @Test
    void anImportAnswers200AndMovesTheFiles() throws Exception {
        Files.writeString(inbox.resolve("1.csv"), "bolt-m6,+40\nnut-m6,+25\n");
        Files.writeString(inbox.resolve("2.csv"), "bolt-m6,-1\n");

        HttpResponse<String> response = send("POST", "import");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("imported 3 movements from 2 files\n", response.body());
        assertEquals(Map.of("bolt-m6", 39, "nut-m6", 25), inventory.stock());
        assertTrue(Files.exists(inbox.resolve("imported/1.csv")));
        assertTrue(Files.exists(inbox.resolve("imported/2.csv")));
        assertEquals("bolt-m6=39\nnut-m6=25\n", send("GET", "stock").body());
        assertEquals("39\n", send("GET", "stock/bolt-m6").body());
    }

    @Test
    void aPanickingImportAnswers500WithWhatFailedAndChangesNothing() throws Exception {
        Files.writeString(inbox.resolve("1.csv"), "bolt-m6,+40\n");
        Files.writeString(inbox.resolve("2.csv"), "bolt-m6,forty\n");

        HttpResponse<String> response = send("POST", "import");

        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("internal error: java.lang.IllegalArgumentException: 2.csv:1: expected"),
                response.body());
        assertEquals(Map.of(), inventory.stock());
        assertTrue(Files.exists(inbox.resolve("1.csv")), "a failed import leaves its files in the inbox");
        // The 500 hides the stack trace from the client; the log keeps the exception itself.
        assertEquals(1, logged.size(), logged.toString());
        assertEquals(Level.WARNING, logged.get(0).getLevel());
        assertEquals("POST /import failed", logged.get(0).getMessage());
        assertInstanceOf(IllegalArgumentException.class, logged.get(0).getThrown());
        // The server survived the panic and the exchange was closed: the next request is answered.
        assertEquals(404, send("GET", "stock/bolt-m6").statusCode());
    }

    @Test
    void aDatabaseErrorAnswers500Too() throws Exception {
        Files.writeString(inbox.resolve("1.csv"), "nut-m6,+2\nnut-m6,-3\n");

        HttpResponse<String> response = send("POST", "import");

        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().contains("STOCK_NOT_NEGATIVE"), response.body());
        assertEquals(Map.of(), inventory.stock());
    }

    @Test
    void unknownSkusAndRoutesAnswer404() throws Exception {
        assertEquals(404, send("GET", "stock/nothing").statusCode());
        HttpResponse<String> response = send("DELETE", "stock");
        assertEquals(404, response.statusCode());
        assertEquals("no route for DELETE /stock\n", response.body());
        assertEquals(List.of(), logged);
    }
}
