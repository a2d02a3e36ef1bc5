package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.Panic
import java.io.PrintWriter
import java.io.StringWriter
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.ExecutionException
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test

private var deferredRan = 0

@Defers
fun kotlinBodyPanics() {
    Defer.defer { deferredRan++ }
    throw Defer.panic("kotlin body") // @line body
}

@Defers
fun kotlinDeferredCallPanics() {
    Defer.defer {
        throw Defer.panic("kotlin deferred") // @line deferred
    }
}

/**
 * Issue 11 item 5 in Kotlin: a `Panic` of `Defer.panic` in a `@Defers` function, printed by the JDK as another
 * exception's cause before anything read its trace, starts at the calling line, as in Java.
 */
class PanicTraceTest {
    private fun marked(name: String): Int {
        val lines = Files.readAllLines(Path.of("src/test/kotlin/dev/defer/kotlin/PanicTraceTest.kt"))
        return lines.indexOfFirst { it.trim().endsWith("// @line $name") } + 1
    }

    private fun firstCauseFrame(body: () -> Unit, value: String): String {
        val panic = try {
            body()
            fail<Panic>("no Panic")
        } catch (p: Panic) {
            p
        }
        val text = StringWriter()
        ExecutionException(panic).printStackTrace(PrintWriter(text))
        val lines = text.toString().lines()
        val header = lines.indexOfFirst { it.trim() == "Caused by: dev.defer.Panic: panic: $value" }
        assertTrue(header >= 0, text.toString())
        return lines[header + 1].trim()
    }

    @Test
    fun `a panic of a Defers function printed as a cause starts at the caller`() {
        val frame = firstCauseFrame(::kotlinBodyPanics, "kotlin body")
        assertTrue(frame.startsWith("at dev.defer.kotlin.PanicTraceTestKt.kotlinBodyPanics(")
                && frame.endsWith("(PanicTraceTest.kt:${marked("body")})"), frame)
    }

    @Test
    fun `a panic of a deferred lambda printed as a cause starts at the caller`() {
        val frame = firstCauseFrame(::kotlinDeferredCallPanics, "kotlin deferred")
        assertTrue(frame.startsWith("at dev.defer.kotlin.PanicTraceTestKt")
                && frame.endsWith("(PanicTraceTest.kt:${marked("deferred")})"), frame)
    }
}
