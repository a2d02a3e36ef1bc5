package dev.defer.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The rules of docs/semantics.md written in Kotlin (Rules.kt, Rules2.kt) print what their Go twins in
 * go/rules.go printed (go/rules.out): run under the agent in this JVM, and rewritten at build time by
 * `java -jar defer-agent.jar instrument` (the plugin's rewrite) in a JVM without the agent.
 */
class KotlinRulesTest {

    private fun goLines(): List<String> {
        val text = KotlinRulesTest::class.java.getResource("/go/rules.out")
            ?: error("missing go/rules.out: copied from defer-tests/src/test/resources/go by this module's pom")
        return text.readText().lines().filter { it.isNotEmpty() }
    }

    @Test
    fun `every rule prints Go's line under the agent`() {
        val go = goLines()
        val kotlin = rules()
        assertEquals(go.size, kotlin.size, "one Kotlin case per Go case")
        for ((expected, actual) in go.zip(kotlin)) {
            assertEquals(expected, actual)
        }
    }

    @Test
    fun `every rule prints Go's line when rewritten at build time`(@TempDir dir: Path) {
        val agent = System.getProperty("defer.agent.jar") ?: error("defer.agent.jar is set by this module's pom")
        val classes = Path.of(KotlinRulesTest::class.java.getResource("/dev/defer/kotlin/Trace.class")!!.toURI())
            .parent.parent.parent.parent
        val rewritten = dir.resolve("classes")
        val instrument = run(listOf(java(), "-jar", agent, "instrument", classes.toString(), rewritten.toString()))
        assertEquals(0, instrument.second, "instrument failed: " + instrument.first)
        val classPath = (listOf(rewritten.toString()) + runtimeClassPath()).joinToString(File.pathSeparator)
        val out = run(listOf(java(), "-cp", classPath, "dev.defer.kotlin.Rules2Kt"))
        assertEquals(0, out.second, out.first)
        assertEquals(goLines(), out.first.lines().filter { it.isNotEmpty() })
    }

    companion object {
        fun java(): String = Path.of(System.getProperty("java.home"), "bin", "java").toString()

        /** The runtime and Kotlin's standard library, where this JVM loaded them from. */
        fun runtimeClassPath(): List<String> = listOf(dev.defer.Defer::class.java, Unit::class.java).map {
            Path.of(it.protectionDomain.codeSource.location.toURI()).toString()
        }

        /** Runs a command; its merged output and exit code. */
        fun run(command: List<String>): Pair<String, Int> {
            val process = ProcessBuilder(command).redirectErrorStream(true).start()
            val out = String(process.inputStream.readAllBytes())
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child process did not end: $command")
            return out to process.exitValue()
        }
    }
}
