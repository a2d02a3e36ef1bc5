// Seed example defer-code-7: six loops, six ways to hand i to a deferred call.
// Loops 2 and 3 share one variable across iterations (declared outside the loop), which is what Go 1.19
// does for every loop variable; declaring it outside keeps the output the same on Go 1.22 and later.
// Java twin: dev.defer.validation.SeedExamplesTest.DeferCode7#run.
package main

import "fmt"

type item int

func (v item) show(loop int) {
	fmt.Println(int(v), loop)
}

func main() {
	// Loop 1: a method value: its receiver item(i) is evaluated at the defer statement.
	for i := 0; i < 5; i++ {
		defer item(i).show(1)
	}
	// Loop 2: a closure that reads the shared counter through a pointer when it runs.
	n := new(int)
	for *n = 0; *n < 5; *n++ {
		defer func() {
			fmt.Println(*n, 2)
		}()
	}
	// Loop 3: a closure over one shared variable, read when it runs.
	var i int
	for i = 0; i < 5; i++ {
		defer func() {
			fmt.Println(i, 3)
		}()
	}
	// Loop 4: a copy per iteration, captured by the closure.
	for i := 0; i < 5; i++ {
		i := i
		defer func() {
			fmt.Println(i, 4)
		}()
	}
	// Loop 5: the value passed as the deferred function's argument.
	for i := 0; i < 5; i++ {
		defer func(i int) {
			fmt.Println(i, 5)
		}(i)
	}
	// Loop 6: fmt.Println itself deferred; its arguments are evaluated now.
	for i := 0; i < 5; i++ {
		defer fmt.Println(i, 6)
	}
}
