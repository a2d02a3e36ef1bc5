// Runs after the build: the program, rewritten at build time, must print Go's results without -javaagent,
// and the agent, run over the same classes, must change nothing.
def log = new File(basedir, 'build.log').text
assert log.contains('defer: rewrote demo.Main.f1()') == false : 'method lines are debug-level unless verbose'
assert log =~ /defer: .*classes: 1 class file read: 4 methods rewritten in 1 class, 0 classes rewritten already, 0 misplaced Defer.defer calls, 0 classes that cannot be rewritten/
assert log =~ /defer: .*test-classes: \d+ class files? read: 1 method rewritten in 1 class/
// The second execution (id "again") found everything rewritten already and wrote nothing.
assert log =~ /defer: .*classes: 1 class file read: 0 methods rewritten in 0 classes, 1 class rewritten already/
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')

def classFile = new File(basedir, 'target/classes/demo/Main.class')
assert new String(classFile.bytes, 'ISO-8859-1').contains('dev.defer.Rewritten')

// The rewritten class keeps the mode javac gave it, and so does its entry in the jar: were it 0600, a service
// running as another user could not load it. build.log is a file the invoker created as any program does, so
// its mode is what the umask gives, as javac's class files were.
if (java.nio.file.FileSystems.default.supportedFileAttributeViews().contains('posix')) {
    def mode = { java.nio.file.Path p ->
        java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p))
    }
    def umaskMode = mode(new File(basedir, 'build.log').toPath())
    assert mode(classFile.toPath()) == umaskMode
    def jar = new File(basedir, 'target/run-without-agent-1.0.jar').toPath()
    java.nio.file.FileSystems.newFileSystem(jar, [enablePosixFileAttributes: 'true']).withCloseable { zip ->
        assert mode(zip.getPath('demo/Main.class')) == umaskMode
    }
}

def runtimeJar = new File(localRepositoryPath, "dev/defer/defer-runtime/${projectVersion}/defer-runtime-${projectVersion}.jar")
assert runtimeJar.isFile() : runtimeJar
def java = new File(System.getProperty('java.home'), 'bin/java').path
def classPath = new File(basedir, 'target/classes').path + File.pathSeparator + runtimeJar.path

def run(List<String> command) {
    def process = new ProcessBuilder(command.collect { it.toString() }).redirectErrorStream(true).start()
    def output = process.inputStream.text
    assert process.waitFor() == 0 : output
    return output.readLines()
}

def expected = [
    'f1() = 1',
    'a() = 42',
    'safeDivide(7, 2) = quotient 3',
    'safeDivide(1, 0) = recovered: java.lang.ArithmeticException: / by zero',
    'order: body 210',
]
def plain = run([java, '-cp', classPath, 'demo.Main'])
println "without the agent: ${plain}"
assert plain == expected

// The agent over plugin-rewritten classes: the dev.defer.Rewritten attribute makes it leave them alone.
def agent = run([java, "-javaagent:${agentJar}=verbose".toString(), '-cp', classPath, 'demo.Main'])
println "under the agent: ${agent}"
assert agent[0].startsWith('defer-agent: active; a rewritten method with Defer.defer calls ends with how it keeps them')
assert agent.drop(1) == expected
return true
