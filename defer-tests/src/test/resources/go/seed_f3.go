// Seed example f3: the deferred closure adds 5 to the named result that return set to 1.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#f3.
package main

import "fmt"

func f3() (r int) {
	defer func() {
		r = r + 5
	}()
	return 1
}

func main() {
	fmt.Println(f3())
}
