package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.instrument.Instrumenter
import dev.defer.instrument.MisuseScanner
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine

/** A real suspend function under @Defers, as kotlinc compiles it: rewritten so that its calls live with the coroutine. */
class SuspendRefused {
    @Defers
    suspend fun load(): Int {
        Defer.defer { println("runs when load completes") }
        return 1
    }
}

/** A suspend lambda that defers: a class of its own (SuspendLambda), never rewritten. */
object SuspendLambdaMisuse {
    val block: suspend () -> Unit = { Defer.defer { println("never registered") } }
}

class SuspendRefusalTest {
    @Test
    fun `a @Defers suspend fun compiled by kotlinc is rewritten for its coroutine, not refused`() {
        val result = Instrumenter().instrument(bytes(SuspendRefused::class.java))
        assertEquals(listOf("load(Lkotlin/coroutines/Continuation;)Ljava/lang/Object; (1 on the coroutine)"),
            result.methods())
    }

    @Test
    fun `the misuse scan gives a suspend lambda the fix that applies to it`() {
        val lambdaClass = SuspendLambdaMisuse.block.javaClass
        val findings = MisuseScanner().scan(bytes(lambdaClass))
        assertEquals(1, findings.size, findings.toString())
        assertEquals("invokeSuspend", findings[0].methodName())
        assertTrue(findings[0].reason().startsWith("a Kotlin suspend lambda"), findings[0].reason())
    }

    @Test
    fun `Defer_defer in a suspend lambda fails at run time with the same fix`() {
        var outcome: Result<Unit>? = null
        SuspendLambdaMisuse.block.startCoroutine(Continuation(EmptyCoroutineContext) { outcome = it })
        val error = outcome!!.exceptionOrNull()
        assertTrue(error is IllegalStateException, "expected the S13 error, got $outcome")
        val message = error!!.message!!
        assertTrue(message.contains(SuspendLambdaMisuse.block.javaClass.name + ".invokeSuspend"), message)
        assertTrue(message.contains("a Kotlin suspend lambda"), message)
    }

    private fun bytes(type: Class<*>): ByteArray =
        type.getResourceAsStream(type.name.substringAfterLast('.') + ".class")!!.use { it.readAllBytes() }
}
