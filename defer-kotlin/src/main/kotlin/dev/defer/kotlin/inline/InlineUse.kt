package dev.defer.kotlin.inline

import dev.defer.Defers
import dev.defer.kotlin.Trace
import dev.defer.kotlin.Trace.log

/** A @Defers caller: the inlined deferred call runs at its exit, after the body, as written in place. */
@Defers
fun closesAtExit() {
    log("open")
    closeOnExit("a")
    log("work")
}

/**
 * The inline cases, each as Trace.run records it; `main` prints them for a child JVM. A caller that is not
 * @Defers is in the tests' InlineMisuse.kt: here it would stop the build-time rewrite of the module.
 */
fun inlineCases(): List<String> = listOf(Trace.run("inline_in_defers") { closesAtExit() })

fun main() {
    inlineCases().forEach(::println)
}
