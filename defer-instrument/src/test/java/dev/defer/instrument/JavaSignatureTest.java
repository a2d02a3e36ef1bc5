package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavaSignatureTest {
    @Test
    void parameterTypesBySimpleNameWithoutTheReturnType() {
        assertEquals("work()", JavaSignature.of("work()Ljava/lang/String;"));
        assertEquals("f1()", JavaSignature.of("f1()I"));
        assertEquals("copy(Path, int[], long, double[][])",
                JavaSignature.of("copy(Ljava/nio/file/Path;[IJ[[D)V"));
        assertEquals("each(Map.Entry[], Object[])",
                JavaSignature.of("each([Ljava/util/Map$Entry;[Ljava/lang/Object;)V"));
        assertEquals("lambda$work$0(Trace)", JavaSignature.of("lambda$work$0(Ldev/defer/validation/Trace;)V"));
    }

    @Test
    void textThatIsNoMethodIsLeftAsItIs() {
        assertEquals("work", JavaSignature.of("work"));
        assertEquals("work(Lbroken", JavaSignature.of("work(Lbroken"));
        assertEquals("(I)V", JavaSignature.of("(I)V"));
    }
}
