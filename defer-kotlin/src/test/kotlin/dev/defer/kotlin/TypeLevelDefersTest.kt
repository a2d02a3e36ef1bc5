package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.instrument.Instrumenter
import dev.defer.instrument.MisuseScanner
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A Kotlin class under a type-level @Defers: its functions are rewritten, its lambda bodies are not. */
@Defers
class Account {
    val log = mutableListOf<String>()

    /** A deferred lambda that sets the function's result: the lambda is a deferred call, not a @Defers method. */
    fun balance(): Int {
        Defer.defer { Defer.setResult(Defer.result<Int>() + 41) }
        return 1
    }

    /** A function the user wrote, bound by a function reference: the type's @Defers covers it. */
    fun close(): List<String> {
        Defer.defer(this::onClose)
        log.add("closing")
        return log
    }

    private fun onClose() {
        Defer.defer { log.add("onClose's own deferred call") }
        log.add("onClose")
    }
}

/** Misuse: Defer.defer in a non-inline lambda of a @Defers class (Go's defer belongs to the function). */
@Defers
class LambdaMisuse {
    fun task(): Runnable = Runnable { Defer.defer { println("never registered") } }
}

class TypeLevelDefersTest {
    @Test
    fun `a deferred lambda of a @Defers class sets its function's result`() {
        assertEquals(42, Account().balance())
    }

    @Test
    fun `a method the user wrote and binds by a function reference stays covered by the type's @Defers`() {
        assertEquals(listOf("closing", "onClose", "onClose's own deferred call"), Account().close())
    }

    @Test
    fun `Kotlin's lambda bodies are not taken by a type-level @Defers`() {
        val taken = Instrumenter().instrument(bytes(Account::class.java))!!.methods().map { it.substringBefore(" (") }
        assertEquals(setOf("balance()I", "close()Ljava/util/List;", "onClose()V", "getLog()Ljava/util/List;"),
            taken.toSet())
    }

    @Test
    fun `Defer_defer in a Kotlin lambda of a @Defers class fails with the fix for a lambda`() {
        val error = assertThrows(IllegalStateException::class.java) { LambdaMisuse().task().run() }
        val message = error.message!!
        assertTrue(message.contains("LambdaMisuse.task\$lambda\$"), message)
        assertTrue(message.contains("a Kotlin lambda"), message)
        assertTrue(message.contains("call Defer.defer in the enclosing @Defers function"), message)
    }

    @Test
    fun `the misuse scan reports the same lambda with the same fix`() {
        val findings = MisuseScanner().scan(bytes(LambdaMisuse::class.java))
        assertEquals(1, findings.size, findings.toString())
        assertTrue(findings[0].methodName().startsWith("task\$lambda\$"), findings[0].methodName())
        assertTrue(findings[0].reason().startsWith("a Kotlin lambda"), findings[0].reason())
    }

    private fun bytes(type: Class<*>): ByteArray =
        type.getResourceAsStream(type.simpleName + ".class")!!.use { it.readAllBytes() }
}
