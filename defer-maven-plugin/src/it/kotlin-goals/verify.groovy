// The plugin's goals on kotlinc's output (lambdas compiled to classes): the inline helper's own body is not
// misuse, the @Defers functions are rewritten (the suspend ones in Suspending.kt too), and the tests, run without
// the agent, see Go's behaviour, coroutines included.
def log = new File(basedir, 'build.log').text
assert log =~ /defer: .*classes: \d+ class files? read: 6 methods rewritten in 2 classes, 0 classes rewritten already, 0 misplaced Defer.defer calls, 0 classes that cannot be rewritten/
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed') && log.contains('in demo.SuspendingTest')
assert log.contains('Tests run: 5, Failures: 0, Errors: 0, Skipped: 0')
return true
