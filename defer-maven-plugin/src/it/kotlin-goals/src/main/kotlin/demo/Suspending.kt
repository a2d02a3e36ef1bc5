package demo

import dev.defer.Defer
import dev.defer.Defers
import kotlinx.coroutines.delay
import kotlinx.coroutines.yield

/**
 * A suspend function rewritten at build time: its deferred call belongs to the coroutine, so it runs once, when
 * the function completes after its suspensions, not at the first one.
 */
@Defers
suspend fun fetch(trace: MutableList<String>): String {
    Defer.defer { trace.add("deferred, result " + Defer.result<String>()) }
    trace.add("before")
    delay(10)
    yield()
    trace.add("after")
    return "value"
}

/** A panic raised after resuming, recovered by the deferred call, which sets the function's result. */
@Defers
suspend fun recoverAfterResuming(trace: MutableList<String>): String {
    Defer.defer {
        trace.add("recovered " + Defer.recover())
        Defer.setResult("recovered")
    }
    delay(1)
    yield()
    throw Defer.panic("late")
}
