package dev.defer.kotlin

import dev.defer.Defer

/** An inline helper and a caller in the same file: Kotlin still numbers the inlined code past the file's end. */
@Suppress("NOTHING_TO_INLINE")
inline fun deferHere(trace: MutableList<String>) {
    Defer.defer { trace.add("deferred") }
}

/** Not @Defers: misuse, reported at the call. */
fun callsDeferHereWithoutDefers(trace: MutableList<String>) {
    deferHere(trace)
}
