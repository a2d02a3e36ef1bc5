package dev.defer.kotlin

import dev.defer.Panic
import kotlin.concurrent.thread

/**
 * What the cases did, one line per event, formatted as Go's `fmt.Println` formats its operands, so that
 * a case's trace compares with the line go/rules.go printed for its Go twin.
 */
object Trace {
    private val lines = mutableListOf<String>()

    /** Records one line: the operands joined by single spaces, `<nil>` for null, a panic's value. */
    fun log(vararg parts: Any?) {
        val line = parts.joinToString(" ") { operand(it) }
        synchronized(lines) { lines.add(line) }
    }

    private fun operand(value: Any?): String = when (value) {
        null -> "<nil>"
        is Panic -> value.value()?.let { operand(it) } ?: "panic(nil)"
        is Throwable -> value.message.toString()
        else -> value.toString()
    }

    /**
     * Go's `run` in rules.go: runs one case, traces "returned" or the panic that escaped it, and gives
     * the case's line as rules.out has it.
     */
    fun run(name: String, case: () -> Unit): String {
        synchronized(lines) { lines.clear() }
        try {
            case()
            log("returned")
        } catch (escaped: Throwable) {
            // Go's run recovers what escapes and traces it; Kotlin's catch is the twin of that recover.
            log("escaped", escaped)
        }
        return "$name: " + synchronized(lines) { lines.joinToString(" | ") }
    }

    /** Go's `runGoroutine`: the case on a thread of its own, which a Goexit ends silently. */
    fun runThread(name: String, case: () -> Unit): String {
        synchronized(lines) { lines.clear() }
        val t = thread(name = name) {
            case()
            log("goroutine returned")
        }
        t.join()
        log("goroutine ended")
        return "$name: " + synchronized(lines) { lines.joinToString(" | ") }
    }
}
