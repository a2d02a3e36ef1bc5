package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S8 When recover returns null and does nothing: no panic, already recovered, in the body, in a helper,
 * as the deferred call itself, in a deferred call registered inside a deferred call, or for a fatal
 * VirtualMachineError.
 */
class S08RecoverNullTest {

    static class Target {
        static final Trace LOG = new Trace();

        static void helper() {
            LOG.log("helper saw", Defer.recover());
        }

        final String name;

        Target(String name) {
            this.name = name;
        }

        void handle() {
            LOG.log(name, "saw", Defer.recover());
        }

        /** Go: defer func(){ helper() }(): the helper's recover is too late. */
        @Defers
        static void throughAHelper() {
            Defer.defer(() -> helper());
            throw Defer.panic("through a helper");
        }

        /** Go: defer h.handle(): direct. */
        @Defers
        static void direct() {
            Target h = new Target("handle");
            Defer.defer(h::handle);
            throw Defer.panic("direct");
        }

        /** Java: a lambda that calls the handler is a helper. */
        @Defers
        static void lambdaCallingAHandler() {
            Target h = new Target("handle");
            Defer.defer(() -> h.handle());
            throw Defer.panic("lambda then handler");
        }

        /** Go test2: defer recover() is too early. */
        @Defers
        static void tooEarly() {
            Defer.defer(Defer::recover);
            throw Defer.panic("too early");
        }

        @Defers
        static void noPanic() {
            Defer.defer(() -> LOG.log("recover without panic", Defer.recover()));
        }

        /** Already recovered: the second deferred call sees nothing. */
        @Defers
        static void alreadyRecovered() {
            Defer.defer(() -> LOG.log("second saw", Defer.recover()));
            Defer.defer(() -> LOG.log("first saw", Defer.recover()));
            throw Defer.panic("once");
        }

        /** In the body: there is no panic while the body runs, even inside its own catch block. */
        @Defers
        static int inTheBody() {
            LOG.log("body saw", Defer.recover());
            try {
                throw new IllegalStateException("caught in body");
            } catch (IllegalStateException e) {
                LOG.log("catch block saw", Defer.recover());
            }
            return 1;
        }

        /** A @Defers method that a deferred lambda calls is a helper: its body's recover sees nothing. */
        @Defers
        static void defersHelperBody() {
            Defer.defer(() -> helperWithDefers());
            throw Defer.panic("outer");
        }

        @Defers
        static void helperWithDefers() {
            LOG.log("helper body saw", Defer.recover());
            Defer.defer(() -> LOG.log("helper deferred call saw", Defer.recover()));
        }

        /** TestRecoverMatching in Go's src/runtime/defer_test.go. */
        @Defers
        static void recoverMatching() {
            Defer.defer(() -> LOG.log("outer saw", Defer.recover()));
            Defer.defer(Target::matchingMiddle);
            throw Defer.panic("panic1");
        }

        @Defers
        static void matchingMiddle() {
            Defer.defer(() -> LOG.log("inner saw", Defer.recover()));
        }

        /** Fatal JVM errors: deferred calls run, recover returns null. */
        @Defers
        static void fatal(Trace t, VirtualMachineError error) {
            Defer.defer(() -> t.log("second deferred saw", Defer.recover()));
            Defer.defer(() -> t.log("first deferred saw", Defer.recover()));
            throw error;
        }

        @Defers
        static int realStackOverflow(Trace t) {
            Defer.defer(() -> t.log("deferred saw", Defer.recover()));
            return recurse(0);
        }

        static int recurse(int n) {
            return recurse(n + 1) + 1;
        }

        /** A class implementing Deferred: its run() is the deferred call; a method run() calls is a helper. */
        static final class HandlerClass implements dev.defer.Deferred {
            @Override
            public void run() {
                handle();
            }

            void handle() {
                LOG.log("HandlerClass.handle saw", Defer.recover());
            }
        }

        @Defers
        static void deferredClassCallsAHelper() {
            Defer.defer(new HandlerClass());
            throw Defer.panic("class helper");
        }

        /** A chain of Deferred objects of one class: only the first run() is the deferred call. */
        static final class Chain implements dev.defer.Deferred {
            private final Chain next;

            Chain(Chain next) {
                this.next = next;
            }

            @Override
            public void run() {
                if (next != null) {
                    next.run();
                } else {
                    LOG.log("innermost Chain.run saw", Defer.recover());
                }
            }
        }

        @Defers
        static void chainOfDeferredObjects() {
            Defer.defer(new Chain(new Chain(null)));
            throw Defer.panic("chain");
        }

        /** recover twice in the same deferred call: the second sees nothing. */
        @Defers
        static void twice() {
            Defer.defer(() -> LOG.log("saw", Defer.recover(), Defer.recover()));
            throw Defer.panic("once only");
        }
    }

    private static String run(Trace.Body body) {
        return Target.LOG.run(body);
    }

    @Test
    void helperCannotRecoverMatchesGo() {
        Go.assertRule("s8_helper", "helper saw <nil> | escaped through a helper", run(Target::throughAHelper));
    }

    @Test
    void directMethodReferenceRecoversMatchesGo() {
        Go.assertRule("s8_direct", "handle saw direct | returned", run(Target::direct));
    }

    @Test
    void lambdaCallingTheHandlerMakesItAHelper() {
        assertEquals("handle saw <nil> | escaped lambda then handler", run(Target::lambdaCallingAHandler));
    }

    @Test
    void deferRecoverItselfIsTooEarlyMatchesGo() {
        Go.assertRule("s8_too_early", "escaped too early", run(Target::tooEarly));
    }

    @Test
    void tooEarlyLetsTheSamePanicObjectThrough() {
        Panic p = assertThrows(Panic.class, Target::tooEarly);
        assertEquals("too early", p.value());
    }

    @Test
    void noPanicMatchesGo() {
        Go.assertRule("s8_no_panic", "recover without panic <nil> | returned", run(Target::noPanic));
    }

    @Test
    void alreadyRecoveredSeesNull() {
        assertEquals("first saw once | second saw <nil> | returned", run(Target::alreadyRecovered));
    }

    @Test
    void secondRecoverInTheSameDeferredCallSeesNull() {
        assertEquals("saw once only <nil> | returned", run(Target::twice));
    }

    @Test
    void recoverInTheBodySeesNull() {
        assertEquals("body saw <nil> | catch block saw <nil> | returned", run(() -> Target.inTheBody()));
    }

    @Test
    void recoverOutsideAnyInvocationReturnsNull() {
        assertNull(Defer.recover());
        try {
            throw new IllegalStateException("caught in a plain method");
        } catch (IllegalStateException e) {
            assertNull(Defer.recover());
        }
    }

    @Test
    void aDefersMethodCalledByADeferredLambdaIsAHelper() {
        assertEquals("helper body saw <nil> | helper deferred call saw <nil> | escaped outer", run(Target::defersHelperBody));
    }

    @Test
    void aMethodThatADeferredObjectsRunCallsIsAHelper() {
        // Go: defer h.run(), where run calls h.handle() which calls recover(): handle is a helper.
        assertEquals("HandlerClass.handle saw <nil> | escaped class helper", run(Target::deferredClassCallsAHelper));
    }

    @Test
    void anotherRunOfTheSameClassCalledByTheDeferredCallIsAHelper() {
        assertEquals("innermost Chain.run saw <nil> | escaped chain", run(Target::chainOfDeferredObjects));
    }

    @Test
    void recoverMatchingMatchesGo() {
        Go.assertRule("recover_matching", "inner saw <nil> | outer saw panic1 | returned", run(Target::recoverMatching));
    }

    @Test
    void outOfMemoryErrorIsNotRecoverableButDeferredCallsRun() {
        Trace t = new Trace();
        OutOfMemoryError error = new OutOfMemoryError("thrown by the test");
        assertSame(error, assertThrows(OutOfMemoryError.class, () -> Target.fatal(t, error)));
        assertEquals(List.of("first deferred saw <nil>", "second deferred saw <nil>"), t.lines());
    }

    @Test
    void stackOverflowErrorThrownIsNotRecoverable() {
        Trace t = new Trace();
        StackOverflowError error = new StackOverflowError("thrown by the test");
        assertSame(error, assertThrows(StackOverflowError.class, () -> Target.fatal(t, error)));
        assertEquals(List.of("first deferred saw <nil>", "second deferred saw <nil>"), t.lines());
    }

    @Test
    void internalErrorIsNotRecoverable() {
        Trace t = new Trace();
        InternalError error = new InternalError("thrown by the test");
        assertSame(error, assertThrows(InternalError.class, () -> Target.fatal(t, error)));
        assertEquals(List.of("first deferred saw <nil>", "second deferred saw <nil>"), t.lines());
    }

    @Test
    void realStackOverflowIsNotRecoverableButTheDeferredCallRuns() {
        Trace t = new Trace();
        Threads.Ended ended = Threads.run(512 * 1024, () -> Target.realStackOverflow(t));
        assertEquals(1, ended.uncaught().size());
        assertTrue(ended.uncaught().get(0) instanceof StackOverflowError, String.valueOf(ended.uncaught()));
        assertEquals(List.of("deferred saw <nil>"), t.lines());
    }
}
