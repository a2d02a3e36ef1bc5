// Seed example, the "t := 5" variant of f1: the deferred closure changes a local, not the result.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#f1t5.
package main

import "fmt"

func f1t5() (r int) {
	t := 5
	defer func() {
		t = t + 5
	}()
	return t
}

func main() {
	fmt.Println(f1t5())
}
