package dev.defer.agentprocess;

import dev.defer.Defer;
import dev.defer.Defers;

/** A program run in a child JVM by {@link AgentProcessTest}: prints what its @Defers method did. */
public final class AgentFixture {
    private AgentFixture() {
    }

    @Defers
    static String work() {
        Defer.defer(() -> System.out.println("deferred ran"));
        System.out.println("body ran");
        return "result";
    }

    /** Not annotated, so never rewritten: its Defer.defer call is the misuse of rule S13. */
    static void misuse() {
        Defer.defer(() -> System.out.println("never"));
    }

    public static void main(String[] args) {
        System.out.println(work());
        try {
            misuse();
        } catch (IllegalStateException e) {
            System.out.println("misuse: " + e.getMessage());
        }
        if (args.length > 0 && args[0].equals("goexit")) {
            Thread thread = new Thread(AgentFixture::exitingThread);
            thread.start();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("thread ended");
        }
    }

    @Defers
    static void exitingThread() {
        Defer.defer(() -> System.out.println("goexit deferred ran"));
        throw Defer.goexit();
    }
}
