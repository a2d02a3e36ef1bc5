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

// All or nothing: target/classes is byte for byte what javac wrote (copied aside before defer:instrument ran),
// although Misuse.fine is a @Defers method that a passing build would have rewritten.
assert log.contains('Nothing was rewritten.')
assert log.contains('; nothing written, since the checks failed')
def javac = new File(basedir, 'target/classes-javac')
def classes = new File(basedir, 'target/classes')
def relative = { File root -> def names = []; root.eachFileRecurse(groovy.io.FileType.FILES) { names << root.toPath().relativize(it.toPath()).toString() }; names.sort() }
assert relative(javac).contains('demo/Misuse.class')
assert relative(javac) == relative(classes)
relative(javac).each { name ->
    assert new File(javac, name).bytes == new File(classes, name).bytes : "${name} was rewritten by a build that failed"
}
return true
