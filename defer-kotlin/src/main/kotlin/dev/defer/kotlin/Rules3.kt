package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Deferred
import dev.defer.Defers
import dev.defer.kotlin.Trace.log
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.thread

// The contract's own Go programs (docs/semantics.md, S10-S15; go/rules.go's s10Values ... s15Lines) in Kotlin.

// ---- S10 ----

@Defers
fun s10Recovered(value: Any?): Any? {
    Defer.defer { Defer.setResult(Defer.recover()) }
    throw Defer.panic(value)
}

/** recover() gives back the value given to panic: a number, a string, an error (the same object). */
fun s10Values() {
    val error = IllegalStateException("an error value")
    log(s10Recovered(42), s10Recovered("text"), s10Recovered(error), s10Recovered(error) === error)
}

// ---- S11 ----

/** A panic on another thread is recovered there; this thread has no panic to recover. */
@Defers
fun s11Threads() {
    Defer.defer { log("main recovered", Defer.recover()) }
    val worker = thread { s11Worker() }
    worker.join()
    log("worker finished")
}

@Defers
fun s11Worker() {
    Defer.defer { log("worker recovered", Defer.recover()) }
    throw Defer.panic("worker panic")
}

// ---- S13 ----

/**
 * Go accepts a nil func at the defer statement and panics when the deferred calls run; the contract (S13) makes
 * `Defer.defer(null)` fail at once, where the mistake is: this twin does not print Go's line, and
 * KotlinRulesTest checks what it prints instead.
 */
@Defers
fun s13NilFunc() {
    Defer.defer { log("earlier deferred ran") }
    val f: Deferred? = null
    Defer.defer(f)
    log("body ran")
}

// ---- S14 ----

@Defers
fun s14Depth(n: Int): Int {
    Defer.defer { Defer.setResult(Defer.result<Int>() + 1) }
    if (n == 0) {
        return 0
    }
    return s14Depth(n - 1)
}

@Defers
fun s14Many(n: Int): Int {
    for (i in 0 until n) {
        Defer.defer { Defer.setResult(Defer.result<Int>() + 1) }
    }
    return 0
}

/** 10,000 levels of recursion, each with its own defer, and 1,000,000 defers in one call's loop. */
fun s14DeepAndMany() {
    log(s14Depth(10000), s14Many(1000000))
}

private val s14Lock = ReentrantLock()

/** The lock taken first is released last: the deferred calls run while it is held (Go's sync.Mutex). */
@Defers
fun s14Locked() {
    s14Lock.lock()
    Defer.defer(s14Lock::unlock)
    Defer.defer { log("deferred call, lock held:", s14Lock.isHeldByCurrentThread) }
}

// ---- S15 ----

/** Laid out line for line as Go's s15Lines, so that the difference of the two lines is the same. */
@Defers
fun s15Lines() {
    var body = 0
    Defer.defer {
        val line = Throwable().stackTrace[0].lineNumber
        log("deferred call's line minus the body's:", line - body)
    }
    body = Throwable().stackTrace[0].lineNumber
}
