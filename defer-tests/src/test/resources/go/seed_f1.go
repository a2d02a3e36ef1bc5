// Seed example f1: a deferred closure increments the named result after return stored 0.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#f1.
package main

import "fmt"

func f1() (r int) {
	defer func() {
		r++
	}()
	return 0
}

func main() {
	fmt.Println(f1())
}
