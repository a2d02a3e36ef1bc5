package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

private val seen = mutableListOf<String>()

/** Returns a value: Kotlin defers a reference to it through a synthetic forwarder (`f$recoverReturning`). */
fun recoverReturning(): Int {
    seen.add("recovered " + Defer.recover())
    return 1
}

class RecoverHolder {
    fun recoverReturning(): Int {
        seen.add("bound recovered " + Defer.recover())
        return 2
    }
}

@Defers
fun deferReference() {
    Defer.defer(::recoverReturning)
    throw Defer.panic("p")
}

@Defers
fun deferBoundReference() {
    val holder = RecoverHolder()
    Defer.defer(holder::recoverReturning)
    throw Defer.panic("q")
}

/**
 * Go's `defer f()` recovers when f calls recover(), whatever f returns; Java's Defer.defer(Foo::f) does.
 * In Kotlin a reference to a function that returns a value goes through a forwarder, which the rewrite binds
 * past, so the function is the deferred call itself and its recover() stops the panic.
 */
class ReferenceRecoverTest {
    @Test
    fun `a deferred reference to a function returning a value recovers`() {
        seen.clear()
        deferReference()
        assertEquals(listOf("recovered p"), seen)
    }

    @Test
    fun `a deferred bound reference to a method returning a value recovers`() {
        seen.clear()
        deferBoundReference()
        assertEquals(listOf("bound recovered q"), seen)
    }
}
