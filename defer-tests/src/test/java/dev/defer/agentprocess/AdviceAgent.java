package dev.defer.agentprocess;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * A Byte Buddy agent as APM and tracing agents are written: advice woven into every method of
 * {@link AdvisedProgram}, the deferred handlers included, recording each entry and each exit (normal or by a
 * throwable). Run beside the defer agent, before and after it, by {@link ByteBuddyAgentTest}.
 */
public final class AdviceAgent {
    private AdviceAgent() {
    }

    /**
     * Installs the advice.
     *
     * @param arguments ignored
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        // By name: a class literal here would load the program before the agents could transform it.
        new AgentBuilder.Default()
                .type(named("dev.defer.agentprocess.AdvisedProgram"))
                .transform((builder, type, loader, module, domain) -> builder.visit(Advice.to(Trace.class).on(isMethod())))
                .installOn(instrumentation);
    }

    /** The advice, inlined into each method by Byte Buddy. */
    public static final class Trace {
        private Trace() {
        }

        /** @param method the advised method's name */
        @Advice.OnMethodEnter
        public static void enter(@Advice.Origin("#m") String method) {
            AdvisedProgram.TRACE.add("enter " + method);
        }

        /**
         * @param method the advised method's name
         * @param thrown what the method threw, or null
         */
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        public static void exit(@Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown) {
            AdvisedProgram.TRACE.add("exit " + method + (thrown == null ? "" : " by " + thrown.getClass().getSimpleName()));
        }
    }
}
