// Runs after the build: JaCoCo's report gives the source's coverage of the @Defers class (its check with
// 100% of lines and branches passed, or the build would have failed), target/classes is as compiled, and
// the packaged jar is rewritten and runs without the agent.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0')
assert log =~ /defer: argLine set to .*-javaagent:.*defer-agent-[^ ]*\.jar/
assert log.contains('All coverage checks have been met.')
assert !log.contains('does not match') : 'JaCoCo saw classes other than those its report reads'
assert log =~ /defer: .*jacoco-coverage-1\.0\.jar: \d+ class files? read: 3 methods rewritten in 1 class/

// The CSV report: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,
// LINE_MISSED,LINE_COVERED,COMPLEXITY_MISSED,COMPLEXITY_COVERED,METHOD_MISSED,METHOD_COVERED
def rows = new File(basedir, 'target/site/jacoco/jacoco.csv').readLines().drop(1)*.split(',')
def ledger = rows.find { it[2] == 'Ledger' }
assert ledger != null : rows
assert ledger[3] == '0' && ledger[5] == '0' && ledger[7] == '0' && ledger[11] == '0' : "Ledger: ${ledger}"
// The source has six branches (three ifs and loop tests): the rewrite's own branches are not counted.
assert ledger[6] == '6' : "Ledger's branches: ${ledger}"
// Every lambda body ran and shows as run, the expanded ones included: 3 methods + 3 lambdas + log() + <init>.
assert ledger[12] == '8' : "Ledger's methods: ${ledger}"

def classBytes = new String(new File(basedir, 'target/classes/demo/Ledger.class').bytes, 'ISO-8859-1')
assert !classBytes.contains('dev.defer.Rewritten') : 'target/classes stays as compiled'

def jar = new File(basedir, 'target/jacoco-coverage-1.0.jar')
def zip = new java.util.zip.ZipFile(jar)
def entry = new String(zip.getInputStream(zip.getEntry('demo/Ledger.class')).bytes, 'ISO-8859-1')
zip.close()
assert entry.contains('dev.defer.Rewritten') : 'the packaged class is rewritten'

// Rewritten in place, the jar and its entries keep the modes maven-jar-plugin gave them (those of the files it
// packed, made as the umask makes files, like build.log), so that a service running as another user can read it.
if (java.nio.file.FileSystems.default.supportedFileAttributeViews().contains('posix')) {
    def mode = { java.nio.file.Path p ->
        java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p))
    }
    def umaskMode = mode(new File(basedir, 'build.log').toPath())
    assert mode(jar.toPath()) == umaskMode
    java.nio.file.FileSystems.newFileSystem(jar.toPath(), [enablePosixFileAttributes: 'true']).withCloseable { z ->
        assert mode(z.getPath('demo/Ledger.class')) == umaskMode : 'the rewritten entry'
        assert mode(z.getPath('demo/Main.class')) == umaskMode : 'an entry copied as it was'
    }
}

def runtimeJar = new File(localRepositoryPath, "dev/defer/defer-runtime/${projectVersion}/defer-runtime-${projectVersion}.jar")
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = new ProcessBuilder([java, '-cp', jar.path + File.pathSeparator + runtimeJar.path, 'demo.Main'])
        .redirectErrorStream(true).start()
def output = process.inputStream.text
assert process.waitFor() == 0 : output
assert output.readLines() == ['refused: amount 0', '2', 'begin;end;close 1;close 0;'] : output
return true
