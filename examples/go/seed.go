// The classic Go defer puzzles that SeedExamples.java mirrors. Run: go run seed.go
package main

import (
	"errors"
	"fmt"
)

// f1: the deferred closure increments the named result after `return 0` stored 0 in it.
func f1() (r int) {
	defer func() { r++ }()
	return 0
}

// t5: `return t` copies t into r; the deferred closure changes t, not r.
func t5() (r int) {
	t := 5
	defer func() { t = t + 5 }()
	return t
}

// f2: the deferred function gets a copy of r (0) when the defer statement runs.
func f2() (r int) {
	defer func(r int) { r = r + 5 }(r)
	return 1
}

// f3: the closure sees the named result r itself.
func f3() (r int) {
	defer func() { r = r + 5 }()
	return 1
}

// a: a deferred closure can rewrite the named result.
func a() (r int) {
	defer func() { r *= 7 }()
	return 6
}

// e1: fmt.Println's argument err is evaluated at the defer statement: still nil.
func e1() {
	var err error
	defer fmt.Println(err)
	err = errors.New("defer1 error")
	return
}

// e2: the closure reads err when it runs, after the assignment.
func e2() {
	var err error
	defer func() { fmt.Println(err) }()
	err = errors.New("defer2 error")
	return
}

// e3: err is passed as an argument, so it is evaluated at the defer statement: nil.
func e3() {
	var err error
	defer func(err error) { fmt.Println(err) }(err)
	err = errors.New("defer3 error")
	return
}

func main() {
	fmt.Println("f1() =", f1())
	fmt.Println("t5() =", t5())
	fmt.Println("f2() =", f2())
	fmt.Println("f3() =", f3())
	fmt.Println("a() =", a())
	e1()
	e2()
	e3()
}
