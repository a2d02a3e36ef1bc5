// Seed example defer-code-6: a goroutine panics and recovers on its own goroutine while the main
// goroutine's deferred calls run; neither goroutine can recover the other's panic.
// Java twin: dev.defer.validation.SeedExamplesTest.DeferCode6#run.
package main

import "fmt"

func main() {
	defer func() {
		fmt.Println("main: recovered", recover())
	}()
	defer func() {
		done := make(chan struct{})
		go worker(done)
		<-done
		fmt.Println("main: worker finished")
	}()
	fmt.Println("main: body")
	panic("main panic")
}

// calm runs on the worker goroutine while main panics: there is no panic on its own goroutine.
func calm() {
	defer func() {
		fmt.Println("worker: recover() while only main panics:", recover())
	}()
}

func worker(done chan struct{}) {
	defer close(done)
	defer func() {
		fmt.Println("worker: recovered", recover())
	}()
	calm()
	panic("worker panic")
}
