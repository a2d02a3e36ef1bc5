// Seed example a: the deferred closure multiplies the named result by 7 after return stored 6.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#a.
package main

import "fmt"

func a() (r int) {
	defer func() {
		r *= 7
	}()
	return 6
}

func main() {
	fmt.Println(a())
}
