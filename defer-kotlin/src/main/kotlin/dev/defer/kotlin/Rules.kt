package dev.defer.kotlin

import dev.defer.Defer
import dev.defer.Defers
import dev.defer.kotlin.Trace.log

/*
 * The cases of go/rules.go (defer-tests/src/test/resources/go), one Kotlin function per Go function, as
 * a Kotlin programmer writes them: top-level functions, an object, lambdas, function references. Go's
 * `defer f(x)` evaluates x at once: Defer.defer(f, x) is its twin; `defer func(){...}()` is a lambda.
 */

fun doubleRecover(): Any? = Defer.recover()

fun mustRecover(x: Any?) = log("mustRecover", x, "saw", doubleRecover(), Defer.recover(), Defer.recover())

fun mustNotRecover() = log("mustNotRecover", Defer.recover())

fun withoutRecover() = log("withoutRecover", doubleRecover())

// ---- S1 to S6 ----

@Defers
fun s1Loop() {
    for (i in 0 until 3) {
        Defer.defer({ v: Int -> log(v) }, i)
    }
    log("after")
}

@Defers
fun s2Order() {
    Defer.defer({ s: String -> log(s) }, "registered 1st")
    Defer.defer({ s: String -> log(s) }, "registered 2nd")
    Defer.defer({ s: String -> log(s) }, "registered 3rd")
}

@Defers
fun s3Arguments() {
    var x = 1
    Defer.defer({ v: Int -> log("argument", v) }, x)
    Defer.defer { log("closure", x) }
    x = 2
}

@Defers
fun s4Return(): Int {
    var t = 5
    Defer.defer { t += 5 }
    return t
}

@Defers
fun s5A(): Int {
    Defer.defer { Defer.setResult(Defer.result<Int>() * 7) }
    return 6
}

@Defers
fun s6Inner() {
    Defer.defer({ s: String -> log(s) }, "inner deferred 1")
    Defer.defer({ s: String -> log(s) }, "inner deferred 2")
    throw Defer.panic("boom")
}

@Defers
fun s6Outer() {
    Defer.defer { log("outer recovered", Defer.recover()) }
    Defer.defer({ s: String -> log(s) }, "outer deferred 1")
    s6Inner()
    log("not reached")
}

// ---- S7: recover.go ----

@Defers
fun recoverTest1() {
    Defer.defer(::mustNotRecover)
    Defer.defer(::mustRecover, 1)
    Defer.defer(::withoutRecover)
    throw Defer.panic(1)
}

@Defers
fun recoverTest2() {
    Defer.defer(::mustRecover, 2)
    Defer.defer(Defer::recover) // too early: a no-op
    throw Defer.panic(2)
}

@Defers
fun recoverTest3() {
    Defer.defer(::mustNotRecover)
    Defer.defer { log("closure recovered", Defer.recover()) }
    throw Defer.panic(3)
}

@Defers
fun recoverTest4() {
    Defer.defer(::mustNotRecover)
    Defer.defer(::deferRecover) // squelches
    throw Defer.panic(4)
}

@Defers
fun deferRecover() {
    Defer.defer(Defer::recover)
}

@Defers
fun tryIt(g: () -> Unit, deflt: Any?): Any? {
    Defer.defer {
        val v = Defer.recover()
        if (v != null) {
            Defer.setResult(v)
        }
    }
    Defer.defer(g)
    return deflt
}

@Defers
fun try1(g: () -> Unit, deflt: Any?): Any? {
    Defer.defer {
        val v = Defer.recover()
        if (v != null) {
            Defer.setResult(v)
        }
    }
    Defer.defer(g)
    Defer.setResult(deflt)
    return Defer.result()
}

fun recoverTest5() {
    log(tryIt({ throw Defer.panic(5) }, 55), tryIt({}, "hi"), try1({ throw Defer.panic(5) }, 55), try1({}, "hi"))
}

fun recoverTest7() {
    recoverTest7Inner()
}

@Defers
fun recoverTest7Inner() {
    Defer.defer { log("ok") }
    Defer.defer(::mustRecover, 7)
    throw Defer.panic(7)
}

/** Go's varargs(&r, a...), itself the deferred call: sums into the result and adds 100 when it recovers. */
fun varargs(a: IntArray) {
    var s = a.sum()
    if (Defer.recover() != null) {
        s += 100
    }
    Defer.setResult(s)
}

@Defers
fun test8a(): Int {
    Defer.defer(::varargs, intArrayOf(1, 2, 3))
    throw Defer.panic(0)
}

@Defers
fun test8b(): Int {
    Defer.defer(::varargs, intArrayOf(4, 5, 6))
    return 0
}

fun recoverTest8() {
    log(test8a(), test8b())
}

interface I {
    fun m()
}

class T1 : I {
    override fun m() = log("T1.M saw", doubleRecover(), Defer.recover(), Defer.recover())
}

@Defers
fun recoverTest9() {
    val i: I = T1()
    Defer.defer(i::m)
    throw Defer.panic(9)
}

class Tiny : I {
    override fun m() {
        throw Defer.panic(112)
    }
}

@Defers
fun badstate() {
    Defer.defer { log("badstate recovered", Defer.recover()) }
    val i: I = Tiny()
    i.m()
}

class T3deeper : I {
    override fun m() {
        badstate()
        log("T3deeper.M saw", doubleRecover(), Defer.recover(), Defer.recover())
    }
}

@Defers
fun recoverTest111() {
    val i: I = T3deeper()
    Defer.defer(i::m)
    throw Defer.panic(111)
}
