// Seed example b: a panic recovered by a deferred closure that sets the named result to 100.
// Java twin: dev.defer.validation.SeedExamplesTest.Seeds#b.
package main

import "fmt"

func b() (r int) {
	defer func() {
		if v := recover(); v != nil {
			r = 100
		}
	}()
	panic("b failed")
}

func main() {
	fmt.Println(b())
}
