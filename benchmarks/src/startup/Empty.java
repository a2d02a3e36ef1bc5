/** The empty main whose start-up startup.sh measures: the JVM's own cost, with or without an agent. */
public final class Empty {
    private Empty() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
    }
}
