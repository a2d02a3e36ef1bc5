// Seed examples e1, e2, e3: when is the error that a deferred call prints evaluated?
// Java twins: dev.defer.validation.SeedExamplesTest.Seeds#e1, #e2, #e3.
package main

import (
	"errors"
	"fmt"
)

// e1: fmt.Println's argument is evaluated at the defer statement, while err is still nil.
func e1() {
	var err error
	defer fmt.Println(err)
	err = errors.New("defer1 error")
	return
}

// e2: the closure reads err when it runs, after the assignment.
func e2() {
	var err error
	defer func() {
		fmt.Println(err)
	}()
	err = errors.New("defer2 error")
	return
}

// e3: err is passed as the argument, so it is evaluated at the defer statement.
func e3() {
	var err error
	defer func(err error) {
		fmt.Println(err)
	}(err)
	err = errors.New("defer3 error")
	return
}

func main() {
	e1()
	e2()
	e3()
}
