package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * S3 Arguments are evaluated at the defer statement: {@code defer(fn, a)} takes {@code a} now, a lambda
 * captures values when it is created, and a holder lets a deferred call see later writes, as a Go closure
 * over a variable does. (The six-loop seed example defer-code-7 is in {@link SeedExamplesTest}.)
 */
class S03ArgumentsTest {

    static class Target {
        /** Go: {@code x := 1; defer log("argument", x); defer func(){ log("closure", x) }(); x = 2}. */
        @Defers
        static void argumentAndClosure(Trace t) {
            int[] x = {1};
            Defer.defer(t::log, "argument", x[0]);
            Defer.defer(() -> t.log("closure", x[0]));
            x[0] = 2;
        }

        /** The argument of defer(fn, a) is the value of the variable now, not later. */
        @Defers
        static void argumentTakenNow(Trace t) {
            int x = 1;
            Defer.defer(v -> t.log("deferred saw", v), x);
            x = 2;
            t.log("body set x to", x);
        }

        /** The argument expression's side effects happen at the defer statement, in statement order. */
        @Defers
        static void argumentSideEffectsHappenNow(Trace t) {
            Defer.defer(v -> t.log("deferred got", v), evaluate(t, "argument"));
            t.log("body");
        }

        static String evaluate(Trace t, String what) {
            t.log("evaluating", what);
            return what;
        }

        /** A lambda copies an effectively final local when it is created. */
        @Defers
        static void lambdaCapturesCopy(Trace t) {
            String s = "created";
            Defer.defer(() -> t.log("lambda saw", s));
            String later = s + " then changed";
            t.log(later);
        }

        /** A holder (AtomicInteger) is shared: the deferred call reads its value when it runs. */
        @Defers
        static void holderSeesLaterWrites(Trace t) {
            AtomicInteger counter = new AtomicInteger();
            Defer.defer(() -> t.log("holder", counter.get()));
            Defer.defer(v -> t.log("argument", v), counter.get());
            counter.set(42);
        }

        /** A field is a holder too. */
        int field = 1;

        @Defers
        void fieldSeesLaterWrites(Trace t) {
            Defer.defer(() -> t.log("field", field));
            Defer.defer(v -> t.log("argument", v), field);
            field = 7;
        }

        /** Two arguments, both taken now. */
        @Defers
        static void twoArguments(Trace t) {
            int a = 1;
            String b = "one";
            Defer.defer((x, y) -> t.log(x, y), a, b);
            a = 2;
            b = "two";
            t.log(a, b);
        }

        /** A bound method reference evaluates its receiver now: Go's {@code defer item.show()}. */
        @Defers
        static void receiverTakenNow(Trace t) {
            Item item = new Item(t, "first");
            Defer.defer(item::show);
            item = new Item(t, "second");
            item.show();
        }

        /** null is a valid argument. */
        @Defers
        static void nullArgument(Trace t) {
            Object nothing = null;
            Defer.defer(v -> t.log("got", v), nothing);
            Defer.defer((v, w) -> t.log("got", v, w), null, nothing);
        }

        /** The same lambda object deferred with different arguments in a loop. */
        @Defers
        static void oneLambdaManyArguments(Trace t) {
            dev.defer.Deferred1<Integer> print = v -> t.log("value", v);
            for (int i = 0; i < 3; i++) {
                Defer.defer(print, i * 10);
            }
        }
    }

    static final class Item {
        private final Trace t;
        private final String name;

        Item(Trace t, String name) {
            this.t = t;
            this.name = name;
        }

        void show() {
            t.log("item", name);
        }
    }

    @Test
    void argumentIsTakenNowClosureReadsLaterMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s3_arguments", "closure 2 | argument 1 | returned", t.run(() -> Target.argumentAndClosure(t)));
    }

    @Test
    void argumentValueIsTheOneAtTheDeferStatement() {
        Trace t = new Trace();
        Target.argumentTakenNow(t);
        assertEquals(List.of("body set x to 2", "deferred saw 1"), t.lines());
    }

    @Test
    void argumentExpressionIsEvaluatedAtTheDeferStatement() {
        Trace t = new Trace();
        Target.argumentSideEffectsHappenNow(t);
        assertEquals(List.of("evaluating argument", "body", "deferred got argument"), t.lines());
    }

    @Test
    void lambdaCapturesTheValueWhenCreated() {
        Trace t = new Trace();
        Target.lambdaCapturesCopy(t);
        assertEquals(List.of("created then changed", "lambda saw created"), t.lines());
    }

    @Test
    void holderSeesLaterWritesArgumentDoesNot() {
        Trace t = new Trace();
        Target.holderSeesLaterWrites(t);
        assertEquals(List.of("argument 0", "holder 42"), t.lines());
    }

    @Test
    void fieldSeesLaterWritesArgumentDoesNot() {
        Trace t = new Trace();
        new Target().fieldSeesLaterWrites(t);
        assertEquals(List.of("argument 1", "field 7"), t.lines());
    }

    @Test
    void bothArgumentsOfATwoArgumentCallAreTakenNow() {
        Trace t = new Trace();
        Target.twoArguments(t);
        assertEquals(List.of("2 two", "1 one"), t.lines());
    }

    @Test
    void boundReceiverIsTakenNow() {
        Trace t = new Trace();
        Target.receiverTakenNow(t);
        assertEquals(List.of("item second", "item first"), t.lines());
    }

    @Test
    void nullArgumentsArePassed() {
        Trace t = new Trace();
        Target.nullArgument(t);
        assertEquals(List.of("got <nil> <nil>", "got <nil>"), t.lines());
    }

    @Test
    void oneDeferredFunctionWithDifferentArgumentsPerStatement() {
        Trace t = new Trace();
        Target.oneLambdaManyArguments(t);
        assertEquals(List.of("value 20", "value 10", "value 0"), t.lines());
    }
}
