package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerboseTextTest {
    @Test
    void parameterTypesBySimpleNameWithoutTheReturnType() {
        assertEquals("work()", VerboseText.method("work()Ljava/lang/String;"));
        assertEquals("f1()", VerboseText.method("f1()I"));
        assertEquals("copy(Path, int[], long, double[][])",
                VerboseText.method("copy(Ljava/nio/file/Path;[IJ[[D)V"));
        assertEquals("each(Map.Entry[], Object[])",
                VerboseText.method("each([Ljava/util/Map$Entry;[Ljava/lang/Object;)V"));
        assertEquals("lambda$work$0(Trace)", VerboseText.method("lambda$work$0(Ldev/defer/validation/Trace;)V"));
    }

    @Test
    void whatFollowsTheDescriptorIsKept() {
        assertEquals("copy(Path) (2 open-coded)", VerboseText.method("copy(Ljava/nio/file/Path;)J (2 open-coded)"));
        assertEquals("big(int) (8 stack-style, 0 pooled)", VerboseText.method("big(I)I (8 stack-style, 0 pooled)"));
        assertEquals("names() (1 open-coded)", VerboseText.method("names()[[Ljava/lang/String; (1 open-coded)"));
    }

    @Test
    void textThatIsNoMethodIsLeftAsItIs() {
        assertEquals("work", VerboseText.method("work"));
        assertEquals("work(Lbroken", VerboseText.method("work(Lbroken"));
        assertEquals("(I)V", VerboseText.method("(I)V"));
        assertEquals("work(I)", VerboseText.method("work(I)"));
        assertEquals("work(I)Q", VerboseText.method("work(I)Q"));
    }
}
