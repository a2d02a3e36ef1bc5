package dev.defer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.examples.ErrorWrapping.Result;
import dev.defer.examples.ErrorWrapping.WrappedError;
import dev.defer.examples.RequestHandler.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each example under the agent and checks what it returns and prints. */
class ExamplesTest {

    /** Something that may throw, whose printed lines we want. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** The lines {@code body} printed to System.out. */
    static List<String> printed(Body body) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(stdout);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    // ---- SeedExamples

    @Test
    void seedResultsMatchGo() throws Exception {
        assertEquals(1, SeedExamples.f1());
        assertEquals(5, SeedExamples.t5());
        assertEquals(1, SeedExamples.f2());
        assertEquals(6, SeedExamples.f3());
        assertEquals(42, SeedExamples.a());
        assertEquals(List.of("<nil>"), printed(SeedExamples::e1));
        assertEquals(List.of("defer2 error"), printed(SeedExamples::e2));
        assertEquals(List.of("<nil>"), printed(SeedExamples::e3));
    }

    /** Every "(Go: x)" that SeedExamples prints is what Go printed (examples/go/seed.out.txt), and Java agrees. */
    @Test
    void seedMainPrintsJavaBesideGoAndGoReallyPrintedThat() throws Exception {
        List<String> go = Files.readAllLines(Path.of("go/seed.out.txt"));
        List<String> goValues = new ArrayList<>();
        for (String line : go) {
            goValues.add(line.contains(" = ") ? line.substring(line.indexOf(" = ") + 3) : line);
        }

        List<String> lines = printed(() -> SeedExamples.main(new String[0]));
        assertEquals(8, lines.size(), lines.toString());
        Pattern shape = Pattern.compile("(\\w+)\\(\\)(?: = | prints )(.*)   \\(Go: (.*)\\)");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = shape.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(m.group(3), m.group(2), "Java differs from Go: " + lines.get(i));
            assertEquals(goValues.get(i), m.group(3), "the Go value shown is not what Go printed: " + lines.get(i));
        }
        assertEquals("f1() = 1   (Go: 1)", lines.get(0));
    }

    // ---- CopyFile

    @Test
    void copyClosesOutputThenInput(@TempDir Path dir) throws Exception {
        Path from = Files.writeString(dir.resolve("from.txt"), "0123456789".repeat(50));
        Path to = dir.resolve("to.txt");
        long[] copied = new long[1];
        assertEquals(List.of("closed output", "closed input"), printed(() -> copied[0] = CopyFile.copy(from, to)));
        assertEquals(500, copied[0]);
        assertEquals(Files.readString(from), Files.readString(to));
    }

    @Test
    void copyClosesInputWhenOutputCannotBeOpened(@TempDir Path dir) throws Exception {
        Path from = Files.writeString(dir.resolve("from.txt"), "x");
        Path to = dir.resolve("no-such-dir").resolve("to.txt");
        List<String> lines = printed(() ->
            assertThrows(NoSuchFileException.class, () -> CopyFile.copy(from, to)));
        assertEquals(List.of("closed input"), lines);
    }

    // ---- CloseInLoop

    @Test
    void deferInLoopClosesEverythingAtReturnInReverse(@TempDir Path dir) throws Exception {
        List<Path> files = threeFiles(dir);
        assertEquals(List.of("opened a", "opened b", "opened c", "loop done, returning 6",
                "closed c", "closed b", "closed a"),
            printed(() -> assertEquals(6, CloseInLoop.totalSize(files))));
    }

    @Test
    void oneInvocationPerFileClosesEachBeforeTheNext(@TempDir Path dir) throws Exception {
        List<Path> files = threeFiles(dir);
        assertEquals(List.of("opened a", "closed a", "opened b", "closed b", "opened c", "closed c",
                "loop done, returning 6"),
            printed(() -> assertEquals(6, CloseInLoop.totalSizeOneAtATime(files))));
    }

    private static List<Path> threeFiles(Path dir) throws IOException {
        return List.of(Files.writeString(dir.resolve("a"), "1"), Files.writeString(dir.resolve("b"), "22"),
            Files.writeString(dir.resolve("c"), "333"));
    }

    // ---- Transaction

    @Test
    void transferCommits() throws Exception {
        Bank bank = new Bank().open("alice", 100).open("bob", 50);
        assertEquals(List.of("begin", "commit"), printed(() -> Transaction.transfer(bank, "alice", "bob", 30)));
        assertEquals(Map.of("alice", 70, "bob", 80), bank.balances());
    }

    @Test
    void transferRollsBackAndRethrowsTheSameException() throws Exception {
        Bank bank = new Bank().open("alice", 100).open("bob", 50);
        IllegalArgumentException[] thrown = new IllegalArgumentException[1];
        List<String> lines = printed(() -> thrown[0] = assertThrows(IllegalArgumentException.class,
            () -> Transaction.transfer(bank, "alice", "carol", 30)));
        assertEquals(List.of("begin", "rollback"), lines);
        assertEquals("no account: carol", thrown[0].getMessage());
        // Re-panicking with the recovered exception throws it unwrapped, with the stack trace of where it began.
        assertEquals("balance", thrown[0].getStackTrace()[0].getMethodName());
        assertEquals(0, thrown[0].getSuppressed().length);
        assertEquals(Map.of("alice", 100, "bob", 50), bank.balances());
    }

    @Test
    void tryTransferReturnsCommittedOrTheRolledBackError() throws Exception {
        Bank bank = new Bank().open("alice", 100).open("bob", 50);
        String[] result = new String[1];
        assertEquals(List.of("begin", "commit"),
            printed(() -> result[0] = Transaction.tryTransfer(bank, "bob", "alice", 10)));
        assertEquals("committed", result[0]);
        assertEquals(List.of("begin", "rollback"),
            printed(() -> result[0] = Transaction.tryTransfer(bank, "bob", "alice", 500)));
        assertEquals("rolled back: insufficient funds: bob has 40, needs 500", result[0]);
        assertEquals(Map.of("alice", 110, "bob", 40), bank.balances());
    }

    // ---- RequestHandler

    @Test
    void handlerAnswers200ForGoodRequests() {
        assertEquals(new Response(200, "144"), RequestHandler.handle("GET /square/12"));
        assertEquals(new Response(200, "42"), RequestHandler.handle("GET /divide/84/2"));
        assertEquals(new Response(404, "not found: /nothing"), RequestHandler.handle("GET /nothing"));
    }

    @Test
    void handlerTurnsPanicsInto500AndKeepsServing() {
        assertEquals(new Response(500, "internal error: For input string: \"twelve\""),
            RequestHandler.handle("GET /square/twelve"));
        assertEquals(new Response(500, "internal error: / by zero"), RequestHandler.handle("GET /divide/1/0"));
        assertEquals(new Response(500, "internal error: handler gave up"), RequestHandler.handle("GET /crash"));
        // Nothing is left over from the recovered panics.
        assertEquals(new Response(200, "9"), RequestHandler.handle("GET /square/3"));
    }

    // ---- ErrorWrapping

    @Test
    void readPortReturnsTheValueUnwrapped() {
        Result<Integer> result = ErrorWrapping.readPort("good.conf");
        assertEquals(8080, result.value());
        assertNull(result.error());
    }

    @Test
    void readPortWrapsReturnedErrorsAndThrownOnes() {
        Result<Integer> range = ErrorWrapping.readPort("range.conf");
        assertInstanceOf(WrappedError.class, range.error());
        assertEquals("reading range.conf: port out of range: 70000", range.error().getMessage());
        assertInstanceOf(IllegalArgumentException.class, range.error().getCause());

        Result<Integer> bad = ErrorWrapping.readPort("bad.conf");
        assertEquals("reading bad.conf: For input string: \"80a\"", bad.error().getMessage());
        assertInstanceOf(NumberFormatException.class, bad.error().getCause());

        Result<Integer> missing = ErrorWrapping.readPort("missing.conf");
        assertEquals("reading missing.conf: missing.conf", missing.error().getMessage());
        assertInstanceOf(NoSuchFileException.class, missing.error().getCause());
    }

    // ---- SafeParse

    @Test
    void safeParseTurnsPanicsIntoErrorValues() {
        assertEquals("ok: 42", SafeParse.safeParse("42"));
        assertEquals("ok: -7", SafeParse.safeParse("-7"));
        assertEquals("error: java.lang.NumberFormatException: For input string: \"abc\"", SafeParse.safeParse("abc"));
        assertEquals("error: empty input", SafeParse.safeParse(""));
    }

    // ---- AllExamples

    @Test
    void allExamplesRunsEachUnderItsHeaderInOrder() throws Exception {
        List<String> lines = printed(() -> AllExamples.main(new String[0]));
        List<String> headers = lines.stream().filter(l -> l.startsWith("== ")).toList();
        assertEquals(List.of("== SeedExamples ==", "== CopyFile ==", "== CloseInLoop ==", "== Transaction ==",
            "== RequestHandler ==", "== ErrorWrapping ==", "== SafeParse =="), headers);
        assertEquals("== SeedExamples ==", lines.get(0));
        assertEquals("f1() = 1   (Go: 1)", lines.get(1));
        assertEquals("safeParse(\"99999999999\") = error: java.lang.NumberFormatException: "
            + "For input string: \"99999999999\"", lines.get(lines.size() - 1));
        assertTrue(lines.contains("GET /crash -> 500 internal error: handler gave up"), lines.toString());
    }
}
