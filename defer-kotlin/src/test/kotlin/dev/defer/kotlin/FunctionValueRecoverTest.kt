package dev.defer.kotlin

import dev.defer.kotlin.values.FUNCTION_VALUE_EXPECTED
import dev.defer.kotlin.values.functionValueCases
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/**
 * A Kotlin function value passed to Defer.defer is the deferred call itself, as a `Deferred` value is in Java
 * and `defer g()` in Go: its recover() stops the panic. A lambda that calls the value makes it a helper, whose
 * recover() returns nil (S8). Under the agent and rewritten at build time, lambdas compiled both ways.
 */
class FunctionValueRecoverTest {
    @Test
    fun `under the agent a deferred function value recovers and a helper does not`() {
        assertEquals(FUNCTION_VALUE_EXPECTED, functionValueCases())
    }

    @Test
    fun `with lambdas compiled to classes under the agent`() {
        val classes = KotlinRulesTest.classLambdaClasses()
        val out = KotlinRulesTest.run(listOf(KotlinRulesTest.java(), "-javaagent:" + KotlinRulesTest.agentJar(),
            "-cp", KotlinRulesTest.classPath(classes), MAIN))
        assertEquals(0, out.second, out.first)
        assertEquals(FUNCTION_VALUE_EXPECTED, out.first.lines().filter { it.isNotEmpty() })
    }

    @Test
    fun `rewritten at build time, lambdas compiled both ways`(@TempDir dir: Path) {
        for (classes in listOf(KotlinRulesTest.indyClasses(), KotlinRulesTest.classLambdaClasses())) {
            val lines = InlineFunctionsTest.runRewrittenMain(classes, dir.resolve(classes.fileName.toString()), MAIN)
            assertEquals(FUNCTION_VALUE_EXPECTED, lines, "$classes")
        }
    }

    companion object {
        const val MAIN = "dev.defer.kotlin.values.FunctionValuesKt"
    }
}
