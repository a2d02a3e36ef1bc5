// The Go cases that docs/semantics.md (the contract) cites, one line each: "case: event | event | ...".
// Most come from the Go repository's test/recover.go, test/recover1.go, src/runtime/defer_test.go and
// src/runtime/testdata/testprog/deadlock.go, with die() replaced by a trace of what each call saw.
// The Java twins are in dev.defer.validation.S*Test; each asserts the line recorded in rules.out.
package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

var trace []string

func log(parts ...interface{}) {
	trace = append(trace, strings.TrimSuffix(fmt.Sprintln(parts...), "\n"))
}

// run runs one case and prints its trace; a panic that escapes the case is traced as "escaped".
func run(name string, f func()) {
	trace = nil
	func() {
		defer func() {
			if v := recover(); v != nil {
				log("escaped", v)
			}
		}()
		f()
		log("returned")
	}()
	fmt.Printf("%s: %s\n", name, strings.Join(trace, " | "))
}

// runGoroutine runs a case on its own goroutine and waits for it to end, by return or Goexit.
func runGoroutine(name string, f func()) {
	trace = nil
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
		log("goroutine returned")
	}()
	wg.Wait()
	log("goroutine ended")
	fmt.Printf("%s: %s\n", name, strings.Join(trace, " | "))
}

func doubleRecover() interface{} { return recover() }

// mustRecover traces what a helper's recover, its own first recover and its second recover see.
func mustRecover(x interface{}) {
	log("mustRecover", x, "saw", doubleRecover(), recover(), recover())
}

func mustNotRecover() { log("mustNotRecover", recover()) }

func withoutRecover() { log("withoutRecover", doubleRecover()) }

// ---- S1, S2, S3, S4, S5, S6 ----

func s1Loop() {
	for i := 0; i < 3; i++ {
		defer log(i)
	}
	log("after")
}

func s2Order() {
	defer log("registered 1st")
	defer log("registered 2nd")
	defer log("registered 3rd")
}

func s3Arguments() {
	x := 1
	defer log("argument", x)
	defer func() { log("closure", x) }()
	x = 2
}

func s4Return() int {
	t := 5
	defer func() { t += 5 }()
	return t
}

func s5A() (r int) {
	defer func() { r *= 7 }()
	return 6
}

func s6Inner() {
	defer log("inner deferred 1")
	defer log("inner deferred 2")
	panic("boom")
}

func s6Outer() {
	defer func() { log("outer recovered", recover()) }()
	defer log("outer deferred 1")
	s6Inner()
	log("not reached")
}

// ---- S7: recover.go ----

func recoverTest1() {
	defer mustNotRecover()
	defer mustRecover(1)
	defer withoutRecover()
	panic(1)
}

func recoverTest2() {
	defer mustRecover(2)
	defer recover() // too early: a no-op
	panic(2)
}

func recoverTest3() {
	defer mustNotRecover()
	defer func() { log("closure recovered", recover()) }()
	panic(3)
}

func recoverTest4() {
	defer mustNotRecover()
	defer func() {
		defer recover() // squelches
	}()
	panic(4)
}

func try(g func(), deflt interface{}) (x interface{}) {
	defer func() {
		if v := recover(); v != nil {
			x = v
		}
	}()
	defer g()
	return deflt
}

func try1(g func(), deflt interface{}) (x interface{}) {
	defer func() {
		if v := recover(); v != nil {
			x = v
		}
	}()
	defer g()
	x = deflt
	return
}

func recoverTest5() {
	log(try(func() { panic(5) }, 55), try(func() {}, "hi"), try1(func() { panic(5) }, 55), try1(func() {}, "hi"))
}

func recoverTest7() {
	func() {
		defer func() { log("ok") }()
		defer mustRecover(7)
		panic(7)
	}()
}

func varargs(s *int, a ...int) {
	*s = 0
	for _, v := range a {
		*s += v
	}
	if recover() != nil {
		*s += 100
	}
}

func test8a() (r int) {
	defer varargs(&r, 1, 2, 3)
	panic(0)
}

func test8b() (r int) {
	defer varargs(&r, 4, 5, 6)
	return
}

func recoverTest8() {
	log(test8a(), test8b())
}

type I interface{ M() }

type T1 struct{}

func (*T1) M() { log("T1.M saw", doubleRecover(), recover(), recover()) }

func recoverTest9() {
	var i I = &T1{}
	defer i.M()
	panic(9)
}

type Tiny struct{}

func (Tiny) M() { panic(112) }

func badstate() {
	defer func() { log("badstate recovered", recover()) }()
	var i I = Tiny{}
	i.M()
}

type T3deeper struct{}

func (T3deeper) M() {
	badstate()
	log("T3deeper.M saw", doubleRecover(), recover(), recover())
}

func recoverTest111() {
	var i I = T3deeper{}
	defer i.M()
	panic(111)
}

// ---- S7, S9: recover1.go ----

func recover1Test1() {
	defer mustRecover(1)
	defer func() {
		defer mustRecover(2)
		panic(2)
	}()
	panic(1)
}

func recover1Test5() {
	defer mustNotRecover()
	defer func() {
		defer recover()
	}()
	panic(5)
}

func recover1Test6() {
	defer mustNotRecover()
	defer func() {
		defer recover() // a normal call from this func once mustRecover stops panic 3: recovers 2
		defer mustRecover(3)
		panic(3)
	}()
	panic(2)
}

func recover1Test7() {
	defer mustRecover(2)
	defer func() {
		defer mustRecover(3)
		defer recover() // a no-op: panic 3 runs it
		panic(3)
	}()
	panic(2)
}

// ---- S8 ----

func helper() { log("helper saw", recover()) }

type handler struct{}

func (*handler) handle() { log("handle saw", recover()) }

func s8Helper() {
	defer func() { helper() }()
	panic("through a helper")
}

func s8Direct() {
	h := &handler{}
	defer h.handle()
	panic("direct")
}

func s8TooEarly() {
	defer recover()
	panic("too early")
}

func s8NoPanic() {
	defer func() { log("recover without panic", recover()) }()
}

// TestRecoverMatching in src/runtime/defer_test.go.
func recoverMatching() {
	defer func() { log("outer saw", recover()) }()
	defer func() {
		defer func() { log("inner saw", recover()) }()
	}()
	panic("panic1")
}

// ---- S9 ----

// TestSecondPanic-like: a deferred call panics while panic1 runs; recover sees panic2.
func s9Replace() {
	defer func() { log("recovered", recover()) }()
	defer func() { panic("panic2") }()
	panic("panic1")
}

func s9DuringReturn() (r int) {
	defer func() { log("recovered", recover()) }()
	defer func() { panic("deferred call failed") }()
	return 7
}

func s9Case() {
	log("result", s9DuringReturn())
}

// ---- S12 ----

func s12Inner() {
	defer log("inner deferred")
}

func s12Outer() {
	defer log("outer deferred")
	s12Inner()
	log("after inner")
}

// ---- S10 ----

type s10Error struct{}

func (s10Error) Error() string { return "an error value" }

func s10Recovered(v interface{}) (r interface{}) {
	defer func() { r = recover() }()
	panic(v)
}

// recover returns the very value given to panic: a number, a string, an error (the same value).
func s10Values() {
	var err error = s10Error{}
	log(s10Recovered(42), s10Recovered("text"), s10Recovered(err), s10Recovered(err) == err)
}

// ---- S11 ----

// A panic on another goroutine is recovered there; this goroutine has no panic to recover.
func s11Threads() {
	defer func() { log("main recovered", recover()) }()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { log("worker recovered", recover()) }()
		panic("worker panic")
	}()
	<-done
	log("worker finished")
}

// ---- S13 ----

// A nil func is accepted by defer and panics only when the deferred calls run.
func s13NilFunc() {
	defer log("earlier deferred ran")
	var f func()
	defer f()
	log("body ran")
}

// ---- S14 ----

func s14Depth(n int) (r int) {
	defer func() { r++ }()
	if n == 0 {
		return 0
	}
	return s14Depth(n - 1)
}

func s14Many(n int) (count int) {
	for i := 0; i < n; i++ {
		defer func() { count++ }()
	}
	return 0
}

// 10,000 levels of recursion, each with its own defer, and 1,000,000 defers in one call's loop.
func s14DeepAndMany() {
	log(s14Depth(10000), s14Many(1000000))
}

var s14Mutex sync.Mutex

// The lock taken first is released last: the deferred calls run while it is held.
func s14Locked() {
	s14Mutex.Lock()
	defer s14Mutex.Unlock()
	defer func() { log("deferred call, lock held:", !s14Mutex.TryLock()) }()
}

// ---- S15 ----

// Stack traces name the program's own lines: here the deferred call's line is 3 before the body's.
func s15Lines() {
	var body int
	defer func() {
		_, _, line, _ := runtime.Caller(0)
		log("deferred call's line minus the body's:", line-body)
	}()
	_, _, body, _ = runtime.Caller(0)
}

// ---- S16: testprog/deadlock.go ----

// RecoverBeforePanicAfterGoexit: the panic is recovered and the Goexit goes on.
func recoverBeforePanicAfterGoexit() {
	defer log("outer deferred")
	func() {
		defer func() { log("recovered", recover()) }()
		defer func() { panic("hello") }()
		runtime.Goexit()
	}()
	log("not reached")
}

// GoexitInPanic: a Goexit in a deferred call abandons the panic.
func goexitInPanic() {
	defer log("outer deferred")
	defer func() { log("recover during Goexit", recover()) }()
	func() {
		defer func() { runtime.Goexit() }()
		panic("hello")
	}()
	log("not reached")
}

func goexitNotRecoverable() {
	defer log("outer deferred")
	defer func() { log("recover during Goexit", recover()) }()
	runtime.Goexit()
}

// RecoveredPanicAfterGoexit: a panic raised and recovered inside a deferred call during Goexit.
func recoveredPanicAfterGoexit() {
	defer log("outer deferred")
	defer func() {
		defer func() { log("inner recovered", recover()) }()
		panic("hello")
	}()
	runtime.Goexit()
}

// A panic raised during Goexit and recovered by a caller's deferred call: the Goexit still goes on.
func goexitPanicRecoveredByCaller() {
	defer log("outer deferred")
	defer func() { log("outer recovered", recover()) }()
	goexitThenPanic()
	log("not reached")
}

func goexitThenPanic() {
	defer log("inner deferred")
	defer func() { panic("hello") }()
	runtime.Goexit()
}

func main() {
	run("s1_loop", s1Loop)
	run("s2_order", s2Order)
	run("s3_arguments", s3Arguments)
	run("s4_t5", func() { log(s4Return()) })
	run("s5_a", func() { log(s5A()) })
	run("s6_callee_first", s6Outer)
	run("recover_test1", recoverTest1)
	run("recover_test2", recoverTest2)
	run("recover_test3", recoverTest3)
	run("recover_test4", recoverTest4)
	run("recover_test5", recoverTest5)
	run("recover_test7", recoverTest7)
	run("recover_test8", recoverTest8)
	run("recover_test9", recoverTest9)
	run("recover_test111", recoverTest111)
	run("recover1_test1", recover1Test1)
	run("recover1_test5", recover1Test5)
	run("recover1_test6", recover1Test6)
	run("recover1_test7", recover1Test7)
	run("s8_helper", s8Helper)
	run("s8_direct", s8Direct)
	run("s8_too_early", s8TooEarly)
	run("s8_no_panic", s8NoPanic)
	run("recover_matching", recoverMatching)
	run("s9_replace", s9Replace)
	run("s9_during_return", s9Case)
	run("s12_isolation", s12Outer)
	run("s10_values", s10Values)
	run("s11_threads", s11Threads)
	run("s13_nil_func", s13NilFunc)
	run("s14_deep_and_many", s14DeepAndMany)
	run("s14_locked", s14Locked)
	run("s15_lines", s15Lines)
	runGoroutine("goexit_recover_before_panic", recoverBeforePanicAfterGoexit)
	runGoroutine("goexit_in_panic", goexitInPanic)
	runGoroutine("goexit_not_recoverable", goexitNotRecoverable)
	runGoroutine("goexit_recovered_panic_after", recoveredPanicAfterGoexit)
	runGoroutine("goexit_panic_recovered_by_caller", goexitPanicRecoveredByCaller)
}
