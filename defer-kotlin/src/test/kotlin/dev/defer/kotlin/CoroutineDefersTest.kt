package dev.defer.kotlin

import dev.defer.kotlin.coro.EXPECTED
import dev.defer.kotlin.coro.cases
import dev.defer.Deferred
import dev.defer.instrument.MisuseScanner
import dev.defer.internal.DeferSupport
import dev.defer.kotlin.coro.Repository
import dev.defer.kotlin.coro.Service
import dev.defer.kotlin.coro.Store
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.nio.file.Path
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext

/**
 * `@Defers suspend fun` (coro/Coroutines.kt): deferred calls run once when the function completes, not at
 * a suspension (delay, yield, withContext), on the resuming thread; recover() after resumptions,
 * result()/setResult(), cancellation, nesting, a tail-calling function and 1,000 concurrent coroutines
 * on Dispatchers.Default. Under the agent, rewritten at build time, and with lambdas compiled to classes.
 */
class CoroutineDefersTest {
    @Test
    fun `suspend functions run their deferred calls at completion under the agent`() {
        assertEquals(EXPECTED, cases())
    }

    @Test
    fun `suspend functions run their deferred calls at completion when rewritten at build time`(@TempDir dir: Path) {
        assertEquals(EXPECTED, runRewritten(KotlinRulesTest.indyClasses(), dir))
    }

    @Test
    fun `with lambdas compiled to classes, under the agent and rewritten at build time`(@TempDir dir: Path) {
        val classes = KotlinRulesTest.classLambdaClasses()
        val out = KotlinRulesTest.run(listOf(KotlinRulesTest.java(), "-javaagent:" + KotlinRulesTest.agentJar(),
            "-cp", classPath(classes), MAIN))
        assertEquals(0, out.second, out.first)
        assertEquals(EXPECTED, out.first.lines().filter { it.isNotEmpty() })
        assertEquals(EXPECTED, runRewritten(classes, dir))
    }

    /** `check` and the plugin's misuse scan: defers in @Defers suspend functions, `$suspendImpl` bodies included, are fine. */
    @Test
    fun `the misuse scan finds nothing in @Defers suspend functions`() {
        for (type in listOf(Class.forName(MAIN), Repository::class.java, Store::class.java, Service::class.java)) {
            val bytes = type.getResourceAsStream(type.name.substringAfterLast('.') + ".class")!!.use { it.readAllBytes() }
            assertEquals(emptyList<Any>(), MisuseScanner().scan(bytes), type.name)
        }
    }

    @Test
    fun `a continuation that holds no frame fails with the function and the fix`() {
        val foreign = Continuation<Any?>(EmptyCoroutineContext) {}
        val e = assertThrows(IllegalStateException::class.java) {
            DeferSupport.deferSuspend(Deferred {}, foreign)
        }
        val message = e.message!!
        assertTrue(message.contains(CoroutineDefersTest::class.java.name), message)
        assertTrue(message.contains("no deferred-call frame"), message)
        assertTrue(message.contains("rewrite the class again"), message)
    }

    private fun runRewritten(classes: Path, dir: Path): List<String> {
        val rewritten = dir.resolve("classes")
        val instrument = KotlinRulesTest.run(listOf(KotlinRulesTest.java(), "-jar", KotlinRulesTest.agentJar(),
            "instrument", classes.toString(), rewritten.toString()))
        assertEquals(0, instrument.second, "instrument failed: " + instrument.first)
        val out = KotlinRulesTest.run(listOf(KotlinRulesTest.java(), "-cp", classPath(rewritten), MAIN))
        assertEquals(0, out.second, out.first)
        return out.first.lines().filter { it.isNotEmpty() }
    }

    /** The module's classpath for a child JVM, with kotlinx-coroutines where this JVM loaded it from. */
    private fun classPath(classes: Path): String = KotlinRulesTest.classPath(classes) + File.pathSeparator +
        Path.of(kotlinx.coroutines.Dispatchers::class.java.protectionDomain.codeSource.location.toURI())

    private companion object {
        const val MAIN = "dev.defer.kotlin.coro.CoroutinesKt"
    }
}
