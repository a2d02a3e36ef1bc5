package demo

import dev.defer.Panic
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

class WorkTest {
    @Test
    fun inlineHelperRunsAtTheCallersExit() {
        val trace = mutableListOf<String>()
        work(trace)
        assertEquals(listOf("work", "close a"), trace)
    }

    @Test
    fun deferredReferenceAndValueRecover() {
        val trace = mutableListOf<String>()
        deferReference(trace)
        deferValue(trace)
        assertEquals(listOf("recovered r", "recovered v"), trace)
    }

    @Test
    fun aHelperDoesNotRecover() {
        val trace = mutableListOf<String>()
        assertThrows(Panic::class.java) { deferLambdaCallingValue(trace) }
        assertEquals(listOf("helper null"), trace)
    }
}
