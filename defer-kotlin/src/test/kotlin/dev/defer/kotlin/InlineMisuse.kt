package dev.defer.kotlin

import dev.defer.kotlin.Trace.log
import dev.defer.kotlin.inline.closeOnExit

/** Not @Defers: the Defer.defer that closeOnExit (another file) copies here can never succeed (S13). */
fun closesWithoutDefers() {
    log("open")
    closeOnExit("b")
}
