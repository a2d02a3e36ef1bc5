package demo.agent;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/** A tracing agent as APM agents are written: Byte Buddy advice on every method of demo.Payments. */
public final class TraceAgent {
    private TraceAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        // By name: a class literal would load Payments before any agent could transform it.
        new AgentBuilder.Default()
                .type(named("demo.Payments"))
                .transform((builder, type, loader, module, domain) -> builder.visit(Advice.to(Trace.class).on(isMethod())))
                .installOn(instrumentation);
    }

    public static final class Trace {
        private Trace() {
        }

        @Advice.OnMethodEnter
        public static void enter(@Advice.Origin("#m") String method) {
            demo.Payments.TRACE.add("enter " + method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        public static void exit(@Advice.Origin("#m") String method, @Advice.Thrown Throwable thrown) {
            demo.Payments.TRACE.add("exit " + method + (thrown == null ? "" : " by " + thrown.getClass().getSimpleName()));
        }
    }
}
