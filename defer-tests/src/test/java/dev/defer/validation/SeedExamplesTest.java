package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The seed articles' examples, each a Go program under src/test/resources/go/ and its Java twin here. The
 * twin's output must be what the Go program printed (recorded in the .out file beside it, checked again
 * against a live {@code go run} by {@link GoRecordingsTest} when Go is installed).
 */
class SeedExamplesTest {

    static class Seeds {
        /** go/seed_f1.go: {@code func f1() (r int) { defer func(){ r++ }(); return 0 }}. */
        @Defers
        static int f1() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            return 0;
        }

        /** go/seed_f1_t5.go: {@code t := 5; defer func(){ t = t + 5 }(); return t}. */
        @Defers
        static int f1t5() {
            int[] t = {5};
            Defer.defer(() -> t[0] = t[0] + 5);
            return t[0];
        }

        /** go/seed_f2.go: {@code defer func(r int){ r = r + 5 }(r); return 1}: r is a copy. */
        @Defers
        static int f2() {
            Defer.defer((Integer r) -> {
                r = r + 5;
            }, Defer.<Integer>result());
            return 1;
        }

        /** go/seed_f3.go: {@code defer func(){ r = r + 5 }(); return 1}. */
        @Defers
        static int f3() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 5));
            return 1;
        }

        /** go/seed_a.go: {@code defer func(){ r *= 7 }(); return 6}. */
        @Defers
        static int a() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            return 6;
        }

        /** go/seed_b.go: a recovered panic sets the named result to 100. */
        @Defers
        static int b() {
            Defer.defer(() -> {
                if (Defer.recover() != null) {
                    Defer.setResult(100);
                }
            });
            throw Defer.panic("b failed");
        }

        /** go/seed_e123.go e1: {@code defer fmt.Println(err)}: the argument is nil when evaluated. */
        @Defers
        static void e1(Trace out) {
            Exception err = null;
            Defer.defer(out::log, err);
            err = new Exception("defer1 error");
        }

        /** e2: the closure reads err when it runs. */
        @Defers
        static void e2(Trace out) {
            Exception[] err = {null};
            Defer.defer(() -> out.log(err[0]));
            err[0] = new Exception("defer2 error");
        }

        /** e3: {@code defer func(err error){ fmt.Println(err) }(err)}. */
        @Defers
        static void e3(Trace out) {
            Exception err = null;
            Defer.defer((Exception e) -> out.log(e), err);
            err = new Exception("defer3 error");
        }
    }

    /** go/defer_code_7.go: six loops, six idioms. */
    static final class DeferCode7 {
        private final Trace out;
        /** Loop 3's variable, shared by every iteration (Go: a variable declared outside the loop). */
        private int shared;

        DeferCode7(Trace out) {
            this.out = out;
        }

        static final class Item {
            private final Trace out;
            private final int value;

            Item(Trace out, int value) {
                this.out = out;
                this.value = value;
            }

            void show(int loop) {
                out.log(value, loop);
            }
        }

        @Defers
        void run() {
            // Loop 1: a bound method reference; its receiver is evaluated now (Go: defer item(i).show(1)).
            for (int i = 0; i < 5; i++) {
                Defer.defer(new Item(out, i)::show, 1);
            }
            // Loop 2: a holder read when the deferred call runs (Go: a closure reading *n).
            int[] n = new int[1];
            for (n[0] = 0; n[0] < 5; n[0]++) {
                Defer.defer(() -> out.log(n[0], 2));
            }
            // Loop 3: a field shared by every iteration (Go: a closure over one variable).
            for (shared = 0; shared < 5; shared++) {
                Defer.defer(() -> out.log(shared, 3));
            }
            // Loop 4: a copy per iteration, captured by the lambda (Go: i := i).
            for (int i = 0; i < 5; i++) {
                int copy = i;
                Defer.defer(() -> out.log(copy, 4));
            }
            // Loop 5: the value as the deferred call's argument (Go: defer func(i int){...}(i)).
            for (int i = 0; i < 5; i++) {
                Defer.defer(v -> out.log(v, 5), i);
            }
            // Loop 6: a method reference with both arguments evaluated now (Go: defer fmt.Println(i, 6)).
            for (int i = 0; i < 5; i++) {
                Defer.defer(out::log, i, 6);
            }
        }
    }

    /** go/defer_code_6.go: a thread panics and recovers on its own while the main thread's deferred calls run. */
    static final class DeferCode6 {
        private final Trace out;

        DeferCode6(Trace out) {
            this.out = out;
        }

        @Defers
        void main() {
            Defer.defer(() -> out.log("main: recovered", Defer.recover()));
            Defer.defer(() -> {
                CountDownLatch done = new CountDownLatch(1);
                Thread worker = new Thread(() -> worker(done), "worker");
                worker.start();
                if (!done.await(1, TimeUnit.MINUTES)) {
                    throw new AssertionError("the worker did not finish");
                }
                out.log("main: worker finished");
            });
            out.log("main: body");
            throw Defer.panic("main panic");
        }

        /** Runs on the worker thread while main panics: there is no panic on its own thread. */
        @Defers
        void calm() {
            Defer.defer(() -> out.log("worker: recover() while only main panics:", Defer.recover()));
        }

        @Defers
        void worker(CountDownLatch done) {
            Defer.defer(done::countDown);
            Defer.defer(() -> out.log("worker: recovered", Defer.recover()));
            calm();
            throw Defer.panic("worker panic");
        }
    }

    private static List<String> lines(int value) {
        return List.of(String.valueOf(value));
    }

    @Test
    void f1Returns1() {
        Go.assertProgram("seed_f1", List.of("1"), lines(Seeds.f1()));
    }

    @Test
    void f1WithTEquals5Returns5() {
        Go.assertProgram("seed_f1_t5", List.of("5"), lines(Seeds.f1t5()));
    }

    @Test
    void f2Returns1() {
        Go.assertProgram("seed_f2", List.of("1"), lines(Seeds.f2()));
    }

    @Test
    void f3Returns6() {
        Go.assertProgram("seed_f3", List.of("6"), lines(Seeds.f3()));
    }

    @Test
    void aReturns42() {
        Go.assertProgram("seed_a", List.of("42"), lines(Seeds.a()));
    }

    @Test
    void bReturns100() {
        Go.assertProgram("seed_b", List.of("100"), lines(Seeds.b()));
    }

    @Test
    void e1e2e3PrintNilDefer2ErrorNil() {
        Trace out = new Trace();
        Seeds.e1(out);
        Seeds.e2(out);
        Seeds.e3(out);
        Go.assertProgram("seed_e123", List.of("<nil>", "defer2 error", "<nil>"), out.lines());
    }

    @Test
    void deferCode7SixLoops() {
        Trace out = new Trace();
        new DeferCode7(out).run();
        Go.assertProgram("defer_code_7", List.of(
                "4 6", "3 6", "2 6", "1 6", "0 6",
                "4 5", "3 5", "2 5", "1 5", "0 5",
                "4 4", "3 4", "2 4", "1 4", "0 4",
                "5 3", "5 3", "5 3", "5 3", "5 3",
                "5 2", "5 2", "5 2", "5 2", "5 2",
                "4 1", "3 1", "2 1", "1 1", "0 1"), out.lines());
    }

    @Test
    void deferCode6PanicsRecoverOnTheirOwnThreads() {
        Trace out = new Trace();
        Threads.Ended ended = Threads.run(() -> new DeferCode6(out).main());
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        Go.assertProgram("defer_code_6", List.of(
                "main: body",
                "worker: recover() while only main panics: <nil>",
                "worker: recovered worker panic",
                "main: worker finished",
                "main: recovered main panic"), out.lines());
    }
}
