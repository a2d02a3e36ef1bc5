package dev.defer.kotlin.values

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.kotlin.Trace
import dev.defer.kotlin.Trace.log

/** Go: `g := func() { fmt.Println("recovered", recover()) }; defer g(); panic("v")` recovers. */
@Defers
fun deferFunctionValue() {
    val g: () -> Unit = { log("recovered", Defer.recover()) }
    Defer.defer(g)
    throw Defer.panic("v")
}

/** Go: `defer g(1)` with `g := func(x int) { ... recover() }` recovers. */
@Defers
fun deferFunctionValueWithArgument() {
    val g: (Int) -> Unit = { x -> log("recovered", x, Defer.recover()) }
    Defer.defer(g, 1)
    throw Defer.panic("w")
}

/** Go: `defer func() { g() }()`: g is a helper of the deferred call, its recover() returns nil (S8). */
@Defers
fun deferLambdaCallingValue() {
    val g: () -> Unit = { log("helper", Defer.recover()) }
    Defer.defer { g() }
    throw Defer.panic("x")
}

/** The same, with the captured variable named as Kotlin names the wrapper's temporary: still a helper. */
@Defers
fun deferLambdaCallingTmp0() {
    val tmp0: () -> Unit = { log("helper", Defer.recover()) }
    Defer.defer { tmp0() }
    throw Defer.panic("y")
}

/** The cases, as Trace.run records them; `main` prints them for a child JVM. */
fun functionValueCases(): List<String> = listOf(
    Trace.run("value") { deferFunctionValue() },
    Trace.run("value_argument") { deferFunctionValueWithArgument() },
    Trace.run("lambda_calling_value") { deferLambdaCallingValue() },
    Trace.run("lambda_calling_tmp0") { deferLambdaCallingTmp0() })

/** What Go prints for each case (and Java, with a `Deferred` value). */
val FUNCTION_VALUE_EXPECTED = listOf("value: recovered v | returned", "value_argument: recovered 1 w | returned",
    "lambda_calling_value: helper <nil> | escaped x", "lambda_calling_tmp0: helper <nil> | escaped y")

fun main() {
    functionValueCases().forEach(::println)
}
