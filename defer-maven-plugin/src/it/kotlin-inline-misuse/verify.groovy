// The build failed on the inlined call, reported at Caller.kt's line with the inline function's file and line.
def log = new File(basedir, 'build.log').text
assert log.contains('demo.CallerKt.notDefers (Caller.kt:5): the inline function closeOnExit (Closing.kt:6) calls Defer.defer') : 'finding at the real line'
assert !log.contains('ClosingKt.closeOnExit') : 'the inline function itself is not misuse'
assert log.contains('BUILD FAILURE')
return true
