// The plugin's goals on kotlinc's output (lambdas compiled to classes): the inline helper's own body is not
// misuse, the @Defers functions are rewritten, and the tests, run without the agent, see Go's behaviour.
def log = new File(basedir, 'build.log').text
assert log =~ /defer: .*classes: \d+ class files? read: 4 methods rewritten in 1 class, 0 classes rewritten already, 0 misplaced Defer.defer calls, 0 classes that cannot be rewritten/
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
return true
