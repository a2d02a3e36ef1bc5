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
 * go/rules.go printed (go/rules.out): under the agent, and rewritten at build time by
 * `java -jar defer-agent.jar instrument` (the plugin's rewrite) in a JVM without the agent; each with the
 * classes kotlinc makes by default (lambdas as invokedynamic) and with `-Xlambdas=class`.
 */
class KotlinRulesTest {

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
    fun `every Go case has a Kotlin twin in the rules but the one the contract makes differ`() {
        val written = rules().map { caseOf(it) }.toSet()
        val missing = allGoLines().map { caseOf(it) }.filter { it !in written }.toSet()
        assertEquals(DIFFERS_FROM_GO, missing)
    }

    /**
     * S13: Go accepts a nil func at the defer statement and fails when the deferred calls run ("body ran |
     * earlier deferred ran | escaped runtime error: ..."); `Defer.defer(null)` fails at the statement, the calls
     * deferred before it still run, and the stack trace points at the Kotlin function.
     */
    @Test
    fun `s13 a null deferred call fails at the defer statement where Go fails when it runs`() {
        assertTrue(allGoLines().contains("s13_nil_func: body ran | earlier deferred ran | escaped runtime error: "
            + "invalid memory address or nil pointer dereference"), "Go's line for s13_nil_func")
        var escaped: Throwable? = null
        val line = Trace.run("s13_nil_func") {
            try {
                s13NilFunc()
            } catch (e: NullPointerException) {
                escaped = e
                throw e
            }
        }
        assertTrue(line.startsWith("s13_nil_func: earlier deferred ran | escaped "), line)
        val frame = escaped!!.stackTrace.first { !it.className.startsWith("dev.defer.internal.") &&
            !it.className.startsWith("dev.defer.Defer") && !it.className.startsWith("java.") }
        assertEquals("s13NilFunc", frame.methodName, escaped!!.stackTrace.joinToString("\n"))
    }

    @Test
    fun `every rule prints Go's line when rewritten at build time`(@TempDir dir: Path) {
        assertEquals(goLines(), runRewritten(indyClasses(), dir))
    }

    @Test
    fun `with lambdas compiled to classes the rules print Go's lines under the agent`() {
        val classes = classLambdaClasses()
        val out = run(listOf(java(), "-javaagent:" + agentJar(), STACK, "-cp", classPath(classes), MAIN))
        assertEquals(0, out.second, out.first)
        assertGoLinesWithLambdaClasses(out.first.lines().filter { it.isNotEmpty() })
    }

    @Test
    fun `with lambdas compiled to classes the rules print Go's lines when rewritten at build time`(@TempDir dir: Path) {
        assertGoLinesWithLambdaClasses(runRewritten(classLambdaClasses(), dir))
    }

    /**
     * Under -Xsam-conversions=class a function reference `::f`, `obj::f` or `Defer::recover` deferred as a
     * `Deferred` is a synthetic class of its own whose `run` calls `f`; the runtime counts that class as the
     * reference's adapter (as the hidden class of javac's method reference), so every case prints Go's line.
     */
    private fun assertGoLinesWithLambdaClasses(actual: List<String>) {
        val go = goLines()
        assertEquals(go.size, actual.size, "one line per case: $actual")
        val differing = go.zip(actual).filter { (g, k) -> g != k }
        assertEquals(listOf<Pair<String, String>>(), differing, "(Go's line, Kotlin's line) of each case that differs")
    }

    companion object {
        const val MAIN = "dev.defer.kotlin.Rules2Kt"

        /**
         * Go cases of go/rules.out whose Kotlin twin prints another line because the contract says so (S13:
         * `Defer.defer(null)` fails at the statement); each is checked by a test of its own. The list must stay
         * exact: a new Go case fails this module until it is written in Kotlin or named here.
         */
        val DIFFERS_FROM_GO = setOf("s13_nil_func")

        /**
         * The child JVMs' thread stack: the one defer-tests and this module's Surefire use. S14's 10,000 levels on
         * the default 1 MB stack are defer-tests' DefaultStackDepthTest's to check, in every compiler mode.
         */
        const val STACK = "-Xss4m"

        /** Go's recorded lines, each "case: output", the cases that differ by contract left out. */
        fun goLines(): List<String> = allGoLines().filter { caseOf(it) !in DIFFERS_FROM_GO }

        fun allGoLines(): List<String> {
            val text = KotlinRulesTest::class.java.getResource("/go/rules.out")
                ?: error("missing go/rules.out: this module's pom copies it from defer-tests/src/test/resources/go")
            return text.readText().lines().filter { it.isNotEmpty() }
        }

        fun caseOf(line: String): String = line.substringBefore(':')

        fun agentJar(): String =
            System.getProperty("defer.agent.jar") ?: error("defer.agent.jar: set by this module's pom (Surefire)")

        /** target/classes: what kotlinc made by default. */
        fun indyClasses(): Path =
            Path.of(Trace::class.java.protectionDomain.codeSource.location.toURI())

        /** The same sources compiled with -Xlambdas=class -Xsam-conversions=class. */
        fun classLambdaClasses(): Path {
            val dir = Path.of(System.getProperty("kotlin.classes.lambdas.class")
                ?: error("kotlin.classes.lambdas.class: set by this module's pom (Surefire)"))
            assertTrue(Files.exists(dir.resolve("dev/defer/kotlin/RulesKt\$recoverTest5\$1.class")),
                "$dir must hold the classes compiled with -Xlambdas=class (execution compile-lambdas-class)")
            return dir
        }

        /** Rewrites the classes as the plugin does and runs the cases without the agent; their lines. */
        fun runRewritten(classes: Path, dir: Path): List<String> {
            val rewritten = dir.resolve("classes")
            val instrument = run(listOf(java(), "-jar", agentJar(), "instrument", classes.toString(), rewritten.toString()))
            assertEquals(0, instrument.second, "instrument failed: " + instrument.first)
            val out = run(listOf(java(), STACK, "-cp", classPath(rewritten), MAIN))
            assertEquals(0, out.second, out.first)
            return out.first.lines().filter { it.isNotEmpty() }
        }

        fun java(): String = Path.of(System.getProperty("java.home"), "bin", "java").toString()

        /** The classes, then the runtime and Kotlin's standard library where this JVM loaded them from. */
        fun classPath(classes: Path): String = (listOf(classes.toString()) +
            listOf(dev.defer.Defer::class.java, Unit::class.java).map {
                Path.of(it.protectionDomain.codeSource.location.toURI()).toString()
            }).joinToString(File.pathSeparator)

        /** Runs a command; its merged output and exit code. */
        fun run(command: List<String>): Pair<String, Int> {
            val process = ProcessBuilder(command).redirectErrorStream(true).start()
            val out = String(process.inputStream.readAllBytes())
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child process did not end: $command")
            return out to process.exitValue()
        }
    }
}
