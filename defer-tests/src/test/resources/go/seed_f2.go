// Seed example f2: the deferred function gets a copy of r, taken at the defer statement.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#f2.
package main

import "fmt"

func f2() (r int) {
	defer func(r int) {
		r = r + 5
	}(r)
	return 1
}

func main() {
	fmt.Println(f2())
}
