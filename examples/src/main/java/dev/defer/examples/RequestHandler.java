package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

/**
 * An HTTP-style handler that turns any panic into a 500 response, as Go's {@code net/http} server
 * recovers a panicking handler. No network: a request is a string such as {@code "GET /square/12"}.
 */
public final class RequestHandler {
    private RequestHandler() {
    }

    /**
     * A response: status code and body.
     *
     * @param status the HTTP status code
     * @param body the response body
     */
    public record Response(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Handles a request; whatever panics in the route becomes {@code 500} with the panic's message. */
    @Defers
    static Response handle(String request) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult(new Response(500, "internal error: " + Panics.message(p)));
            }
        });
        return route(request.substring(request.indexOf(' ') + 1));
    }

    // The routes know nothing about error handling: a bad request simply throws.
    private static Response route(String path) {
        String[] parts = path.split("/");
        return switch (parts[1]) {
            case "square" -> {
                long n = Long.parseLong(parts[2]);
                yield new Response(200, Long.toString(n * n));
            }
            case "divide" -> new Response(200, Long.toString(Long.parseLong(parts[2]) / Long.parseLong(parts[3])));
            case "crash" -> throw Defer.panic("handler gave up");
            default -> new Response(404, "not found: " + path);
        };
    }

    /**
     * Handles a few requests, good and bad.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String[] requests = {"GET /square/12", "GET /divide/84/2", "GET /nothing", "GET /square/twelve",
            "GET /divide/1/0", "GET /crash"};
        for (String request : requests) {
            System.out.println(request + " -> " + handle(request));
        }
    }
}
