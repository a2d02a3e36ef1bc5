package dev.defer.kotlin.coro

import dev.defer.Defer
import dev.defer.Defers
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.util.Collections
import java.util.concurrent.atomic.AtomicIntegerArray

/**
 * `@Defers suspend fun` as docs/kotlin.md specifies it: the deferred calls belong to the coroutine and run
 * once, when the function completes (normally, by a panic or by a cancellation), on the thread that
 * resumed it; nothing runs at a suspension. Each case gives one line, "case: what happened", which
 * CoroutineDefersTest compares with the expected line, under the agent and rewritten at build time.
 */
class Events {
    private val events = Collections.synchronizedList(ArrayList<String>())

    fun add(event: String) {
        events.add(event)
    }

    override fun toString(): String = synchronized(events) { events.joinToString(" | ") }
}

/** Suspends three ways (delay, yield, withContext); the deferred call must run after the body's finally. */
@Defers
suspend fun suspendsThreeWays(events: Events): String {
    Defer.defer { events.add("deferred, result " + Defer.result()) }
    try {
        delay(5)
        events.add("after delay")
        yield()
        events.add("after yield")
        withContext(Dispatchers.IO) { events.add("in withContext") }
        events.add("body ends")
        return "done"
    } finally {
        events.add("finally")
    }
}

/** Registers a deferred call after each of two resumptions: they run last-in-first-out at completion. */
@Defers
suspend fun defersAfterResuming(events: Events): Int {
    Defer.defer { events.add("first") }
    delay(2)
    Defer.defer({ n: Int -> events.add("second $n") }, 2)
    yield()
    Defer.defer({ a: String, b: String -> events.add("third $a$b") }, "x", "y")
    delay(2)
    return 3
}

/** Resumes on Dispatchers.Default: the deferred call runs on the thread that ran the body's end. */
@Defers
suspend fun runsOnTheResumingThread(): String {
    var bodyEnd: Thread? = null
    var deferredOn: Thread? = null
    Defer.defer { deferredOn = Thread.currentThread(); Defer.setResult(if (deferredOn === bodyEnd) "same thread" else "other thread") }
    withContext(Dispatchers.Default) { delay(2) }
    delay(2)
    bodyEnd = Thread.currentThread()
    return "unset"
}

/** A panic raised after two resumptions, recovered by a deferred call that sets the result. */
@Defers
suspend fun panicsAfterResuming(): String {
    Defer.defer {
        val p = Defer.recover()
        Defer.setResult("recovered " + (p as Throwable).message)
    }
    delay(2)
    yield()
    throw IllegalStateException("boom")
}

/** A panic of the first entry, before any suspension: the handler runs the deferred calls inline. */
@Defers
suspend fun panicsBeforeSuspending(x: Int): String {
    Defer.defer { Defer.setResult("recovered " + (Defer.recover() as Throwable).message + " at once") }
    if (x > 0) {
        throw IllegalStateException("early")
    }
    delay(1)
    return "unreached"
}

/** A panic that no deferred call recovers reaches the caller, after the deferred calls ran. */
@Defers
suspend fun panicsUnrecovered(events: Events): String {
    Defer.defer { events.add("deferred, recover() not called") }
    delay(2)
    throw IllegalArgumentException("unrecovered")
}

/** A deferred call that throws during a panic after resuming replaces it, keeping it as suppressed (S9). */
@Defers
suspend fun deferredCallPanics(): String {
    Defer.defer { throw IllegalStateException("second") }
    delay(2)
    throw IllegalArgumentException("first")
}

/** result() sees the function's value, setResult() changes what the caller gets. */
@Defers
suspend fun doublesItsResult(x: Int): Int {
    Defer.defer { Defer.setResult((Defer.result() as Int) * 2) }
    delay(2)
    return x + 1
}

/** Completes without suspending: the deferred call runs at the return, as in a regular function. */
@Defers
suspend fun neverSuspends(events: Events, x: Int): Int {
    Defer.defer { events.add("deferred, result " + Defer.result()) }
    if (x > 100) {
        delay(1)
    }
    return x
}

/** No state machine (a single tail call): the deferred call runs when the callee completes. */
@Defers
suspend fun tailCalls(events: Events, gate: CompletableDeferred<String>): String {
    Defer.defer { events.add("deferred, result " + Defer.result()) }
    return gate.await()
}

/** Cancelled while suspended: the body's finally, then the deferred call, which sees the cancellation. */
@Defers
suspend fun cancelledWhileSuspended(events: Events, started: CompletableDeferred<Unit>, recover: Boolean) {
    Defer.defer {
        if (recover) {
            events.add("deferred recovers " + Defer.recover()?.javaClass?.simpleName)
        } else {
            events.add("deferred")
        }
    }
    try {
        started.complete(Unit)
        delay(60_000)
    } finally {
        events.add("finally")
    }
}

/** Nested suspend functions: each one's deferred calls run when it completes, the inner one's first. */
@Defers
suspend fun outer(events: Events): Int {
    Defer.defer { events.add("outer deferred") }
    val r = inner(events)
    events.add("outer got $r")
    return r
}

@Defers
suspend fun inner(events: Events): Int {
    Defer.defer { events.add("inner deferred") }
    delay(2)
    return 7
}

/** One of many concurrent coroutines: its deferred call sees its own result, not another coroutine's. */
@Defers
suspend fun concurrent(i: Int, ran: AtomicIntegerArray, mismatches: AtomicIntegerArray): Int {
    Defer.defer {
        ran.incrementAndGet(i)
        if (Defer.result<Int>() != i * 3) {
            mismatches.incrementAndGet(i)
        }
    }
    delay((i % 5).toLong())
    yield()
    Defer.defer({ k: Int -> if (k != i) mismatches.incrementAndGet(i) }, i)
    yield()
    return i * 3
}

/** An open suspend member: kotlinc puts its body in a static `load$suspendImpl`, taken with `load`. */
open class Repository(private val events: Events) {
    @Defers
    open suspend fun load(): Int {
        Defer.defer { events.add("open deferred, result " + Defer.result()) }
        delay(2)
        events.add("open body ends")
        return 4
    }
}

/** A suspend function with a body in an interface: also a `save$suspendImpl`, in the interface. */
interface Store {
    @Defers
    suspend fun save(events: Events): String {
        Defer.defer { events.add("interface deferred") }
        delay(2)
        events.add("interface body ends")
        return "saved"
    }
}

class FileStore : Store

/**
 * `@Defers` on the class covers its suspend functions, an open one's synthetic `ping$suspendImpl` (which holds
 * its body) included.
 */
@Defers
open class Service(private val events: Events) {
    suspend fun call(): String {
        Defer.defer { events.add("type-level deferred, recovered " + (Defer.recover() as Throwable).message) }
        yield()
        error("service down")
    }

    open suspend fun ping(): String {
        Defer.defer { events.add("type-level open deferred, result " + Defer.result()) }
        delay(1)
        return "pong"
    }
}

/** Runs every case; one line each. */
fun cases(): List<String> = runBlocking {
    val lines = ArrayList<String>()
    var events = Events()
    val value = withContext(Dispatchers.Default) { suspendsThreeWays(events) }
    lines.add("three ways: $events | returned $value")

    events = Events()
    lines.add("after resuming: returned " + defersAfterResuming(events) + " | $events")

    lines.add("resuming thread: " + withContext(Dispatchers.Default) { runsOnTheResumingThread() })
    lines.add("panic after resuming: " + withContext(Dispatchers.Default) { panicsAfterResuming() })
    lines.add("panic before suspending: " + panicsBeforeSuspending(1))

    events = Events()
    val escaped = try {
        panicsUnrecovered(events)
        "returned"
    } catch (e: IllegalArgumentException) {
        "escaped " + e.message
    }
    lines.add("unrecovered: $events | $escaped")

    val replaced = try {
        deferredCallPanics()
    } catch (e: IllegalStateException) {
        "escaped " + e.message + ", suppressed " + e.suppressed.joinToString { it.message.toString() }
    }
    lines.add("replaced panic: $replaced")

    lines.add("result: " + doublesItsResult(20))

    events = Events()
    lines.add("never suspends: returned " + neverSuspends(events, 5) + " | $events")

    events = Events()
    val gate = CompletableDeferred<String>()
    val tail = async(Dispatchers.Default) { tailCalls(events, gate) }
    delay(5)
    events.add("gate opens")
    gate.complete("opened")
    lines.add("tail call: returned " + tail.await() + " | $events")

    for (recover in listOf(false, true)) {
        events = Events()
        val started = CompletableDeferred<Unit>()
        val job = launch(Dispatchers.Default) { cancelledWhileSuspended(events, started, recover) }
        started.await()
        job.cancelAndJoin()
        lines.add("cancelled" + (if (recover) ", recovered" else "") + ": $events | cancelled ${job.isCancelled}")
    }

    events = Events()
    lines.add("open member: returned " + Repository(events).load() + " | $events")
    events = Events()
    lines.add("interface default: returned " + FileStore().save(events) + " | $events")
    events = Events()
    lines.add("type-level: returned " + Service(events).call() + " | $events")
    events = Events()
    lines.add("type-level open: returned " + Service(events).ping() + " | $events")

    events = Events()
    lines.add("nested: returned " + outer(events) + " | $events")

    val n = 1000
    val ran = AtomicIntegerArray(n)
    val mismatches = AtomicIntegerArray(n)
    val sum = coroutineScope {
        (0 until n).map { i -> async(Dispatchers.Default) { concurrent(i, ran, mismatches) } }.awaitAll().sum()
    }
    val ranOnce = (0 until n).count { ran.get(it) == 1 }
    val mixed = (0 until n).count { mismatches.get(it) != 0 }
    lines.add("concurrent: $n coroutines, sum $sum, deferred ran once in $ranOnce, mixed up in $mixed")
    lines
}

/** For the run rewritten at build time: prints the lines. */
fun main() {
    cases().forEach(::println)
}

/** What [cases] must give. */
val EXPECTED = listOf(
    "three ways: after delay | after yield | in withContext | body ends | finally | deferred, result done | returned done",
    "after resuming: returned 3 | third xy | second 2 | first",
    "resuming thread: same thread",
    "panic after resuming: recovered boom",
    "panic before suspending: recovered early at once",
    "unrecovered: deferred, recover() not called | escaped unrecovered",
    "replaced panic: escaped second, suppressed first",
    "result: 42",
    "never suspends: returned 5 | deferred, result 5",
    "tail call: returned opened | gate opens | deferred, result opened",
    "cancelled: finally | deferred | cancelled true",
    "cancelled, recovered: finally | deferred recovers JobCancellationException | cancelled true",
    "open member: returned 4 | open body ends | open deferred, result 4",
    "interface default: returned saved | interface body ends | interface deferred",
    "type-level: returned null | type-level deferred, recovered service down",
    "type-level open: returned pong | type-level open deferred, result pong",
    "nested: returned 7 | inner deferred | outer got 7 | outer deferred",
    "concurrent: 1000 coroutines, sum 1498500, deferred ran once in 1000, mixed up in 0",
)
