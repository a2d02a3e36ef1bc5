package dev.defer.instrument.internal;

import org.objectweb.asm.Attribute;
import org.objectweb.asm.ByteVector;
import org.objectweb.asm.ClassWriter;

/**
 * A class file attribute that marks a class as rewritten, holding the runtime ABI version. The JVM
 * ignores attributes it does not know, and reflection does not show them, so the mark is invisible to
 * the application; it lets the agent and build-time tools skip a class rewritten already.
 */
final class RewrittenMarker extends Attribute {
    static final String NAME = "dev.defer.Rewritten";

    RewrittenMarker() {
        super(NAME);
    }

    @Override
    protected ByteVector write(ClassWriter classWriter, byte[] code, int codeLength, int maxStack, int maxLocals) {
        return new ByteVector().putShort(RuntimeAbi.VERSION);
    }
}
