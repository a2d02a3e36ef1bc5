package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.kotlin.Trace.log

// ---- S7, S9: recover1.go ----

@Defers
fun recover1Test1() {
    Defer.defer(::mustRecover, 1)
    Defer.defer(::recover1Test1Deferred)
    throw Defer.panic(1)
}

@Defers
fun recover1Test1Deferred() {
    Defer.defer(::mustRecover, 2)
    throw Defer.panic(2)
}

@Defers
fun recover1Test5() {
    Defer.defer(::mustNotRecover)
    Defer.defer(::deferRecover)
    throw Defer.panic(5)
}

@Defers
fun recover1Test6() {
    Defer.defer(::mustNotRecover)
    Defer.defer(::recover1Test6Deferred)
    throw Defer.panic(2)
}

@Defers
fun recover1Test6Deferred() {
    Defer.defer(Defer::recover) // a normal call from this function once mustRecover stops panic 3: recovers 2
    Defer.defer(::mustRecover, 3)
    throw Defer.panic(3)
}

@Defers
fun recover1Test7() {
    Defer.defer(::mustRecover, 2)
    Defer.defer(::recover1Test7Deferred)
    throw Defer.panic(2)
}

@Defers
fun recover1Test7Deferred() {
    Defer.defer(::mustRecover, 3)
    Defer.defer(Defer::recover) // a no-op: panic 3 runs it
    throw Defer.panic(3)
}

// ---- S8 ----

fun helper() = log("helper saw", Defer.recover())

class Handler {
    fun handle() = log("handle saw", Defer.recover())
}

@Defers
fun s8Helper() {
    Defer.defer { helper() }
    throw Defer.panic("through a helper")
}

@Defers
fun s8Direct() {
    val h = Handler()
    Defer.defer(h::handle)
    throw Defer.panic("direct")
}

@Defers
fun s8TooEarly() {
    Defer.defer(Defer::recover)
    throw Defer.panic("too early")
}

@Defers
fun s8NoPanic() {
    Defer.defer { log("recover without panic", Defer.recover()) }
}

@Defers
fun recoverMatching() {
    Defer.defer { log("outer saw", Defer.recover()) }
    Defer.defer(::recoverMatchingDeferred)
    throw Defer.panic("panic1")
}

@Defers
fun recoverMatchingDeferred() {
    Defer.defer { log("inner saw", Defer.recover()) }
}

// ---- S9 ----

@Defers
fun s9Replace() {
    Defer.defer { log("recovered", Defer.recover()) }
    Defer.defer { throw Defer.panic("panic2") }
    throw Defer.panic("panic1")
}

@Defers
fun s9DuringReturn(): Int {
    Defer.defer { log("recovered", Defer.recover()) }
    Defer.defer { throw Defer.panic("deferred call failed") }
    return 7
}

fun s9Case() = log("result", s9DuringReturn())

// ---- S12 ----

@Defers
fun s12Inner() {
    Defer.defer({ s: String -> log(s) }, "inner deferred")
}

@Defers
fun s12Outer() {
    Defer.defer({ s: String -> log(s) }, "outer deferred")
    s12Inner()
    log("after inner")
}

// ---- S16: Goexit ----

/** The cases' functions as members of an object, as Kotlin code often groups them. */
object Goexits {
    @Defers
    fun recoverBeforePanicAfterGoexit() {
        Defer.defer({ s: String -> log(s) }, "outer deferred")
        recoverBeforePanicAfterGoexitInner()
        log("not reached")
    }

    @Defers
    fun recoverBeforePanicAfterGoexitInner() {
        Defer.defer { log("recovered", Defer.recover()) }
        Defer.defer { throw Defer.panic("hello") }
        throw Defer.goexit()
    }

    @Defers
    fun goexitInPanic() {
        Defer.defer({ s: String -> log(s) }, "outer deferred")
        Defer.defer { log("recover during Goexit", Defer.recover()) }
        goexitInPanicInner()
        log("not reached")
    }

    @Defers
    fun goexitInPanicInner() {
        Defer.defer { throw Defer.goexit() }
        throw Defer.panic("hello")
    }

    @Defers
    fun goexitNotRecoverable() {
        Defer.defer({ s: String -> log(s) }, "outer deferred")
        Defer.defer { log("recover during Goexit", Defer.recover()) }
        throw Defer.goexit()
    }

    @Defers
    fun recoveredPanicAfterGoexit() {
        Defer.defer({ s: String -> log(s) }, "outer deferred")
        Defer.defer(::recoveredPanicAfterGoexitDeferred)
        throw Defer.goexit()
    }

    @Defers
    fun recoveredPanicAfterGoexitDeferred() {
        Defer.defer { log("inner recovered", Defer.recover()) }
        throw Defer.panic("hello")
    }

    @Defers
    fun goexitPanicRecoveredByCaller() {
        Defer.defer({ s: String -> log(s) }, "outer deferred")
        Defer.defer { log("outer recovered", Defer.recover()) }
        goexitThenPanic()
        log("not reached")
    }

    @Defers
    fun goexitThenPanic() {
        Defer.defer({ s: String -> log(s) }, "inner deferred")
        Defer.defer { throw Defer.panic("hello") }
        throw Defer.goexit()
    }
}

/** Every case, in rules.go's order, each as the line go/rules.out records for it. */
fun rules(): List<String> = listOf(
    Trace.run("s1_loop", ::s1Loop),
    Trace.run("s2_order", ::s2Order),
    Trace.run("s3_arguments", ::s3Arguments),
    Trace.run("s4_t5") { log(s4Return()) },
    Trace.run("s5_a") { log(s5A()) },
    Trace.run("s6_callee_first", ::s6Outer),
    Trace.run("recover_test1", ::recoverTest1),
    Trace.run("recover_test2", ::recoverTest2),
    Trace.run("recover_test3", ::recoverTest3),
    Trace.run("recover_test4", ::recoverTest4),
    Trace.run("recover_test5", ::recoverTest5),
    Trace.run("recover_test7", ::recoverTest7),
    Trace.run("recover_test8", ::recoverTest8),
    Trace.run("recover_test9", ::recoverTest9),
    Trace.run("recover_test111", ::recoverTest111),
    Trace.run("recover1_test1", ::recover1Test1),
    Trace.run("recover1_test5", ::recover1Test5),
    Trace.run("recover1_test6", ::recover1Test6),
    Trace.run("recover1_test7", ::recover1Test7),
    Trace.run("s8_helper", ::s8Helper),
    Trace.run("s8_direct", ::s8Direct),
    Trace.run("s8_too_early", ::s8TooEarly),
    Trace.run("s8_no_panic", ::s8NoPanic),
    Trace.run("recover_matching", ::recoverMatching),
    Trace.run("s9_replace", ::s9Replace),
    Trace.run("s9_during_return", ::s9Case),
    Trace.run("s12_isolation", ::s12Outer),
    Trace.run("s10_values", ::s10Values),
    Trace.run("s11_threads", ::s11Threads),
    Trace.run("s14_deep_and_many", ::s14DeepAndMany),
    Trace.run("s14_locked", ::s14Locked),
    Trace.run("s15_lines", ::s15Lines),
    Trace.runThread("goexit_recover_before_panic", Goexits::recoverBeforePanicAfterGoexit),
    Trace.runThread("goexit_in_panic", Goexits::goexitInPanic),
    Trace.runThread("goexit_not_recoverable", Goexits::goexitNotRecoverable),
    Trace.runThread("goexit_recovered_panic_after", Goexits::recoveredPanicAfterGoexit),
    Trace.runThread("goexit_panic_recovered_by_caller", Goexits::goexitPanicRecoveredByCaller),
)

/** Prints every case's line; a child JVM's output, compared with go/rules.out. */
fun main() {
    rules().forEach(::println)
}
