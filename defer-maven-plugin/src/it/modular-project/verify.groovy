// Runs after the build: prepare-agent warned and wrote -javaagent (the agentlib form would stop a module-path JVM),
// and the tests, which check that they run in the named module under the agent, passed.
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] defer: attach=agentlib is for class-path test runs, but ')
assert log.contains('module-info.java puts the tests on the module path')
assert log =~ /defer: argLine set to -javaagent:.*defer-agent-[^ ]*\.jar/
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
return true
