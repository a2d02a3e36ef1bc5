package dev.defer.agentprocess;

import com.sun.tools.attach.VirtualMachine;

/**
 * A program run in a child JVM by {@link AgentProcessTest}: attaches the agent to itself with the options given,
 * prints how that went, and goes on.
 */
public final class AttachFixture {
    private AttachFixture() {
    }

    /**
     * @param args the agent jar and its options
     * @throws Exception when the attach itself (not the agent) fails
     */
    public static void main(String[] args) throws Exception {
        VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
        try {
            self.loadAgent(args[0], args[1]);
            System.out.println("loaded");
        } catch (com.sun.tools.attach.AgentInitializationException e) {
            System.out.println("refused: " + e.getMessage());
        } finally {
            self.detach();
        }
        System.out.println("still running");
    }
}
