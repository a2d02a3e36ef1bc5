package dev.defer.validation;

/**
 * Run in a child JVM under the agent (S13MisuseTest, and S15TransparencyTest with dump=DIR): loads and
 * initialises the classes named on the command line, so that the agent rewrites (and dumps) or rejects them.
 */
public final class LoadClassesMain {
    private LoadClassesMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            Class.forName(name, true, LoadClassesMain.class.getClassLoader());
        }
        System.out.println("loaded " + args.length);
    }
}
