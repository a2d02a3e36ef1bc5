// Runs after the build: both Surefire runs (JaCoCo's agent first, then the defer agent first) passed the
// Mockito tests, and each run's report shows the source's coverage of Orders with no mismatch.
def log = new File(basedir, 'build.log').text
assert log.count('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') >= 2 : 'both Surefire runs'
assert !log.contains('defer: argLine set to') : 'the defer agent went to its own property'
assert log =~ /defer: deferAgent set to .*-javaagent:.*defer-agent-[^ ]*\.jar/
assert log.count('All coverage checks have been met.') == 2
assert !log.contains('does not match') : 'JaCoCo saw classes other than those its report reads'

for (run in ['jacoco-first', 'defer-first']) {
    def rows = new File(basedir, "target/site/${run}/jacoco.csv").readLines().drop(1)*.split(',')
    def orders = rows.find { it[2] == 'Orders' }
    assert orders != null : rows
    // INSTRUCTION_MISSED, BRANCH_MISSED, BRANCH_COVERED, LINE_MISSED, METHOD_MISSED: the source's eight branches (four ifs).
    assert orders[3] == '0' && orders[5] == '0' && orders[6] == '8' && orders[7] == '0' && orders[11] == '0' : "${run}: ${orders}"
}
return true
