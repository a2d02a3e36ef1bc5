import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The reference agent of startup.sh: registers a retransformation-capable transformer that changes nothing, as
 * the defer agent registers its own, so that the difference between the two is the defer agent's own start-up.
 */
public final class NoopStartAgent implements ClassFileTransformer {
    /**
     * @param arguments ignored
     * @param instrumentation the JVM's
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        instrumentation.addTransformer(new NoopStartAgent(), true);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        return null;
    }
}
