package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.instrument.InstrumentationException
import dev.defer.instrument.Instrumenter
import dev.defer.instrument.MisuseScanner
import dev.defer.kotlin.inline.closesAtExit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

/** `@Defers` on an inline function, as kotlinc compiles it: refused, since its deferred calls move into callers. */
class InlineRefused {
    @Defers
    @Suppress("NOTHING_TO_INLINE")
    inline fun closing() {
        Defer.defer { println("would run when the caller returns") }
    }
}

/** A type-level @Defers: its inline member is not taken (it is copied into callers), its other functions are. */
@Defers
class InlineInDefersClass {
    val trace = mutableListOf<String>()

    @Suppress("NOTHING_TO_INLINE")
    inline fun closeLater(name: String) {
        Defer.defer { trace.add("close $name") }
    }

    fun work() {
        closeLater("c")
        trace.add("work")
    }
}

/**
 * The rule for Kotlin's inline functions (docs/kotlin.md): an inline helper may call Defer.defer, and its
 * deferred call runs when the function it is inlined into returns, which must be @Defers; `@Defers inline fun`
 * is refused. The agent, the build-time rewrite and the misuse scan agree, and the scan reports inlined code at
 * the real line of the caller's file, naming the inline function's own file and line (the class's SMAP).
 */
class InlineFunctionsTest {
    @Test
    fun `an inline helper's deferred call runs when the @Defers caller returns`() {
        assertEquals("inline_in_defers: open | work | close a | returned",
            Trace.run("inline_in_defers") { closesAtExit() })
    }

    @Test
    fun `an inline helper in a caller that is not @Defers throws the S13 error`() {
        val e = assertThrows(IllegalStateException::class.java) { closesWithoutDefers() }
        val call = sourceLine(MISUSE_SOURCE, "closeOnExit(\"b\")")
        val origin = "InlineHelpers.kt:" + sourceLine(MAIN_SOURCES + "inline/InlineHelpers.kt", "Defer.defer {")
        // Kotlin numbers the inlined code past the end of the file; the message gives the real lines.
        val where = "InlineMisuseKt.closesWithoutDefers (InlineMisuse.kt:$call, inlined from $origin)"
        assertTrue(e.message!!.contains(where), e.message)
    }

    @Test
    fun `the scan accepts the inline helper's own body and the @Defers caller`() {
        assertEquals(listOf<Any>(), MisuseScanner().scan(classBytes("dev/defer/kotlin/inline/InlineHelpersKt")))
        assertEquals(listOf<Any>(), MisuseScanner().scan(classBytes("dev/defer/kotlin/inline/InlineUseKt")))
    }

    @Test
    fun `the scan reports the inlined call at the caller's line and names the inline function's file and line`() {
        val finding = MisuseScanner().scan(classBytes("dev/defer/kotlin/InlineMisuseKt")).single()
        assertEquals("closesWithoutDefers", finding.methodName())
        assertEquals("InlineMisuse.kt", finding.sourceFile())
        assertEquals(sourceLine(MISUSE_SOURCE, "closeOnExit(\"b\")"),
            finding.line(), finding.toString())
        val origin = "InlineHelpers.kt:" + sourceLine(MAIN_SOURCES + "inline/InlineHelpers.kt", "Defer.defer {")
        assertTrue(finding.reason().contains("the inline function closeOnExit ($origin)"), finding.reason())
        assertTrue(finding.reason().contains("annotate this function"), finding.reason())
    }

    @Test
    fun `an inline function of the same file is reported at the call and at its own line`() {
        val finding = MisuseScanner().scan(classBytes("dev/defer/kotlin/InlineSameFileKt")).single()
        assertEquals("callsDeferHereWithoutDefers", finding.methodName())
        assertEquals(sourceLine(SAME_FILE_SOURCE, "deferHere(trace)"), finding.line(), finding.toString())
        val origin = "InlineSameFile.kt:" + sourceLine(SAME_FILE_SOURCE, "Defer.defer {")
        assertTrue(finding.reason().contains("the inline function deferHere ($origin)"), finding.reason())
    }

    @Test
    fun `@Defers on an inline function is refused with the class, the method and the fix`() {
        val e = assertThrows(InstrumentationException::class.java) {
            Instrumenter().instrument(classBytes("dev/defer/kotlin/InlineRefused"))
        }
        assertEquals(InlineRefused::class.java.name, e.className())
        val message = e.message!!
        assertTrue(message.contains("closing()V"), message)
        assertTrue(message.contains("inline function"), message)
        assertTrue(message.contains("drop 'inline'"), message)
    }

    @Test
    fun `a type-level @Defers leaves its inline functions to their callers`() {
        val holder = InlineInDefersClass()
        holder.work()
        assertEquals(listOf("work", "close c"), holder.trace)
        assertNotNull(Instrumenter().instrument(classBytes("dev/defer/kotlin/InlineInDefersClass")),
            "work() is rewritten, closeLater is not, and nothing is refused")
        assertEquals(listOf<Any>(), MisuseScanner().scan(classBytes("dev/defer/kotlin/InlineInDefersClass")))
    }

    @Test
    fun `rewritten at build time the inline cases behave as under the agent`(@TempDir dir: Path) {
        for (classes in listOf(KotlinRulesTest.indyClasses(), KotlinRulesTest.classLambdaClasses())) {
            val lines = runRewrittenMain(classes, dir.resolve(classes.fileName.toString()), INLINE_MAIN)
            assertEquals(listOf("inline_in_defers: open | work | close a | returned"), lines, "$classes")
        }
    }

    companion object {
        const val INLINE_MAIN = "dev.defer.kotlin.inline.InlineUseKt"

        fun classBytes(internalName: String): ByteArray =
            InlineFunctionsTest::class.java.classLoader.getResourceAsStream("$internalName.class")!!
                .use { it.readAllBytes() }

        const val MAIN_SOURCES = "src/main/kotlin/dev/defer/kotlin/"
        const val MISUSE_SOURCE = "src/test/kotlin/dev/defer/kotlin/InlineMisuse.kt"
        const val SAME_FILE_SOURCE = "src/test/kotlin/dev/defer/kotlin/InlineSameFile.kt"

        /** The 1-based number of the first line of a source file (from the module's directory) holding the text. */
        fun sourceLine(file: String, text: String): Int {
            val lines = Files.readAllLines(Path.of(file))
            val index = lines.indexOfFirst { it.contains(text) }
            assertTrue(index >= 0, "$text in $file")
            return index + 1
        }

        /** Rewrites the classes as the plugin does, runs a main class without the agent; its lines. */
        fun runRewrittenMain(classes: Path, dir: Path, main: String): List<String> {
            val rewritten = dir.resolve("classes")
            val instrument = KotlinRulesTest.run(listOf(KotlinRulesTest.java(), "-jar", KotlinRulesTest.agentJar(),
                "instrument", classes.toString(), rewritten.toString()))
            assertEquals(0, instrument.second, "instrument failed: " + instrument.first)
            val out = KotlinRulesTest.run(
                listOf(KotlinRulesTest.java(), "-cp", KotlinRulesTest.classPath(rewritten), main))
            assertEquals(0, out.second, out.first)
            return out.first.lines().filter { it.isNotEmpty() }
        }
    }
}
