package dev.defer.validation;

/**
 * Run by {@link S15TransparencyTest} in a JVM with {@code -javaagent:defer-agent.jar=dump=DIR}: loads and
 * initialises the classes named on the command line, so that the agent rewrites and dumps them.
 */
public final class S15DumpMain {
    private S15DumpMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            Class.forName(name, true, S15DumpMain.class.getClassLoader());
        }
        System.out.println("loaded " + args.length);
    }
}
