package demo

import java.util.Collections
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class SuspendingTest {
    @Test
    fun theDeferredCallRunsOnceWhenTheFunctionCompletes() {
        val trace = Collections.synchronizedList(mutableListOf<String>())
        val value = runBlocking(Dispatchers.Default) { fetch(trace) }
        assertEquals("value", value)
        assertEquals(listOf("before", "after", "deferred, result value"), trace)
    }

    @Test
    fun aPanicAfterResumingIsRecovered() {
        val trace = Collections.synchronizedList(mutableListOf<String>())
        val value = runBlocking(Dispatchers.Default) { recoverAfterResuming(trace) }
        assertEquals("recovered", value)
        assertEquals(listOf("recovered late"), trace)
    }
}
