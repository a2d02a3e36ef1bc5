package dev.defer.kotlin.example

import dev.defer.Defer
import dev.defer.Defers

/*
 * A Kotlin example: the Go blog's "Defer, Panic, and Recover" program (go/blog.go in defer-tests), written
 * as a Kotlin programmer would. Run it under the agent:
 *   java -javaagent:defer-agent.jar -cp defer-kotlin/target/classes:defer-runtime.jar:kotlin-stdlib.jar \
 *        dev.defer.kotlin.example.BlogKt
 * It prints what the Go program prints.
 */

/** f calls g; its deferred lambda recovers g's panic, so f returns normally. */
@Defers
fun f(println: (String) -> Unit) {
    Defer.defer {
        val r = Defer.recover()
        if (r != null) {
            println("Recovered in f $r")
        }
    }
    println("Calling g.")
    g(0, println)
    println("Returned normally from g.")
}

/** Recurses, defers a print at each level (its argument evaluated at once, as Go's), panics at the fifth. */
@Defers
fun g(i: Int, println: (String) -> Unit) {
    if (i > 3) {
        println("Panicking!")
        throw Defer.panic(i.toString())
    }
    Defer.defer({ level: Int -> println("Defer in g $level") }, i)
    println("Printing in g $i")
    g(i + 1, println)
}

/** The program: prints each line to standard output. */
fun main() {
    blog(::println)
}

/** The program, with its output sent to [println]. */
fun blog(println: (String) -> Unit) {
    f(println)
    println("Returned normally from f.")
}
