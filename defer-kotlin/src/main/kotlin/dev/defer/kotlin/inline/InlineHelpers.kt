package dev.defer.kotlin.inline

import dev.defer.Defer
import dev.defer.kotlin.Trace.log

/**
 * An inline helper that defers: Kotlin copies its body, the `Defer.defer` call included, into each caller, so
 * the deferred call belongs to the caller and runs when the caller returns. Legal exactly where every caller
 * is `@Defers` (docs/kotlin.md, "Inline functions").
 */
@Suppress("NOTHING_TO_INLINE") // inline for its Defer.defer, which must land in the caller
inline fun closeOnExit(name: String) {
    Defer.defer { log("close", name) }
}
