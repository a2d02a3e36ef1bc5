package demo

import dev.defer.Defer
import dev.defer.Defers

@Defers
fun work(trace: MutableList<String>) {
    closeOnExit(trace, "a")
    trace.add("work")
}

fun recovering(trace: MutableList<String>) {
    trace.add("recovered " + Defer.recover())
}

/** A function reference, a class of its own under -Xsam-conversions=class: recovers as in Go. */
@Defers
fun deferReference(trace: MutableList<String>) {
    Defer.defer(::recovering, trace)
    throw Defer.panic("r")
}

/** A function value, wrapped by Kotlin: recovers as in Go. */
@Defers
fun deferValue(trace: MutableList<String>) {
    val g: () -> Unit = { trace.add("recovered " + Defer.recover()) }
    Defer.defer(g)
    throw Defer.panic("v")
}

/** A lambda calling the value: the value is a helper, its recover() returns null (S8). */
@Defers
fun deferLambdaCallingValue(trace: MutableList<String>) {
    val g: () -> Unit = { trace.add("helper " + Defer.recover()) }
    Defer.defer { g() }
    throw Defer.panic("h")
}
