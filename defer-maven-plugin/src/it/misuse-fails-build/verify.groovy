// The build failed, and its message names each misplaced call as Class.method (File.java:line).
def log = new File(basedir, 'build.log').text
assert log.contains('defer: 3 calls of Defer.defer in ')
assert log.contains('can never succeed (each throws IllegalStateException when it runs; rule S13):')
assert log.contains('demo.Misuse.helper (Misuse.java:15): the method is not @Defers; annotate it (or its class) with @dev.defer.Defers')
assert log =~ 'demo\\.Misuse\\.lambda\\$inLambda\\$\\d+ \\(Misuse\\.java:21\\): a lambda body is a method of its own'
assert log.contains('demo.Misuse.<init> (Misuse.java:27): constructors are never rewritten; move the code that defers into a @Defers method')
assert log.contains('-Ddefer.failOnMisuse=false')
assert !log.contains('Misuse.fine')
assert log.contains('BUILD FAILURE')
return true
