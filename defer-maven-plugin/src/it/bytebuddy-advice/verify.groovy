// Runs after the build: both Surefire runs (the tracing agent first, then the defer agent first) passed,
// each under both agents.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/trace-agent-agent.jar').isFile()
assert log.count('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') >= 2 : 'both Surefire runs'
assert log =~ /defer: deferAgent set to .*-javaagent:.*defer-agent-[^ ]*\.jar/
def reports = ['surefire-reports', 'surefire-reports-defer-first'].collect { new File(basedir, "target/${it}/demo.PaymentsTest.txt") }
reports.each { assert it.isFile() && it.text.contains('Tests run: 1, Failures: 0, Errors: 0') : it }
return true
