package demo

import dev.defer.Defer

/** An inline helper that defers: legal, since every function that calls it is @Defers. */
inline fun closeOnExit(trace: MutableList<String>, name: String) {
    Defer.defer { trace.add("close $name") }
}
