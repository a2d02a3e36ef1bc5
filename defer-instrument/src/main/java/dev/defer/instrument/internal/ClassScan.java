package dev.defer.instrument.internal;

import java.nio.charset.StandardCharsets;

/**
 * The check made on every loaded class before any parsing: a search of the raw bytes for the constant
 * pool strings that a class needing the rewrite must hold. Costs one pass over the bytes, with no
 * allocation, so classes without {@code @Defers} pay next to nothing.
 */
public final class ClassScan {
    private static final byte[] ANNOTATION = bytes(ClassRewriter.DEFERS_DESCRIPTOR);
    private static final byte[] MARKER = bytes(RewrittenMarker.NAME);
    private static final byte[] DEFER_API = bytes("dev/defer/Defer");

    private ClassScan() {
    }

    /**
     * Whether the class file mentions {@code @Defers}: it may have methods to rewrite.
     *
     * @param classFile the class file's bytes
     * @return true when the annotation's descriptor is in the bytes
     */
    public static boolean mentionsDefers(byte[] classFile) {
        return contains(classFile, ANNOTATION);
    }

    /**
     * Whether the class file carries the attribute that this rewrite adds, i.e. was already rewritten.
     *
     * @param classFile the class file's bytes
     * @return true when the marker attribute's name is in the bytes
     */
    public static boolean isRewritten(byte[] classFile) {
        return contains(classFile, MARKER);
    }

    /**
     * Whether the class file may call {@code Defer.defer}: its bytes name the class {@code dev/defer/Defer} (or
     * a name that starts so, such as {@code dev/defer/Defers}). A class without it certainly does not.
     *
     * @param classFile the class file's bytes
     * @return true when the name is in the bytes
     */
    public static boolean mentionsDeferApi(byte[] classFile) {
        return contains(classFile, DEFER_API);
    }

    static boolean contains(byte[] data, byte[] pattern) {
        byte first = pattern[0];
        int last = data.length - pattern.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
