package dev.defer.instrument.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The check made on every loaded class before any parsing: does the constant pool hold a given string?
 * It steps from entry to entry by tag and length, compares only the UTF-8 entries of the right length,
 * and never reads the code, so classes without {@code @Defers} pay next to nothing (no allocation). A
 * constant pool it cannot walk (a tag it does not know, a truncated file) falls back to a search of
 * every byte, which can only answer "maybe" more often, never less.
 */
public final class ClassScan {
    private static final byte[] ANNOTATION = bytes(ClassRewriter.DEFERS_DESCRIPTOR);
    private static final byte[] MARKER = bytes(RewrittenMarker.NAME);
    private static final byte[] DEFER_API = bytes("dev/defer/Defer");
    private static final byte[] PANIC = bytes("panic");

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
     * Whether the class file carries the attribute that this rewrite adds, i.e. was already rewritten. The
     * attribute's name in the constant pool is only a hint (a class may hold the same text as a string
     * constant, in a log message say): when it is there, the class's attribute table decides.
     *
     * @param classFile the class file's bytes
     * @return true when the class has the marker attribute
     */
    public static boolean isRewritten(byte[] classFile) {
        return contains(classFile, MARKER) && ClassAttributes.has(classFile, MARKER);
    }

    /**
     * Whether the class file may call {@code Defer.defer}: its constant pool names the class
     * {@code dev/defer/Defer}. A class without it certainly does not.
     *
     * @param classFile the class file's bytes
     * @return true when the name is in the bytes
     */
    public static boolean mentionsDeferApi(byte[] classFile) {
        return contains(classFile, DEFER_API);
    }

    /**
     * {@code Instrumenter.mayNeedRewrite}, for a caller that has not loaded the rewrite: in an {@code all=} package
     * or {@link #mayNeedRewrite(byte[])}, and not rewritten yet.
     *
     * @param rewriteAll the {@code all=} prefixes, or null when there are none
     * @param internalName the class's internal name, or null if unknown
     * @param classFile the class file's bytes
     * @return false when the rewrite would certainly change nothing
     */
    public static boolean mayNeedRewrite(Predicate<String> rewriteAll, String internalName, byte[] classFile) {
        boolean candidate = inAll(rewriteAll, internalName) || mayNeedRewrite(classFile);
        return candidate && !isRewritten(classFile);
    }

    /**
     * {@code Instrumenter.mayHaveDefersMethods}, for a caller that has not loaded the rewrite: in an {@code all=}
     * package, or its bytes mention {@code @Defers}.
     *
     * @param rewriteAll the {@code all=} prefixes, or null when there are none
     * @param internalName the class's internal name, or null if unknown
     * @param classFile the class file's bytes
     * @return false when the class certainly has no {@code @Defers} method
     */
    public static boolean mayHaveDefersMethods(Predicate<String> rewriteAll, String internalName, byte[] classFile) {
        return inAll(rewriteAll, internalName) || mentionsDefers(classFile);
    }

    /** Null prefixes are none: the agent then loads no class for them at start-up. */
    private static boolean inAll(Predicate<String> rewriteAll, String internalName) {
        return rewriteAll != null && internalName != null && rewriteAll.test(internalName);
    }

    /**
     * Whether the class file may need the rewrite: it mentions {@code @Defers}, or it may call {@code Defer.panic},
     * whose call sites are rewritten in every class ({@link #mayCallPanic}). A class that names neither
     * {@code @Defers} nor {@code dev/defer/Defer} costs one walk of the constant pool, as {@link #mentionsDefers}
     * does (one more length compare per UTF-8 entry); only a class that names {@code Defer} is walked again.
     *
     * @param classFile the class file's bytes
     * @return false when the class certainly needs no rewrite
     */
    public static boolean mayNeedRewrite(byte[] classFile) {
        int found = find(classFile, ANNOTATION, DEFER_API);
        return found == 1 || found == 2 && (mentionsDefers(classFile) || mayCallPanic(classFile));
    }

    /**
     * Whether the class file may call {@code Defer.panic} from code that can hold {@code invokedynamic}: its version
     * is Java 7 or newer and its constant pool names {@code dev/defer/Defer} and {@code panic}.
     *
     * @param classFile the class file's bytes
     * @return false when it certainly has no such call to rewrite
     */
    static boolean mayCallPanic(byte[] classFile) {
        return classFile.length > 8 && u2(classFile, 6) >= 51 && contains(classFile, DEFER_API)
                && contains(classFile, PANIC);
    }

    static boolean contains(byte[] data, byte[] pattern) {
        return find(data, pattern, pattern) != 0;
    }

    /**
     * Which of two strings the constant pool holds as a UTF-8 entry, the first met: 1 for {@code pattern}, 2 for
     * {@code other}, 0 for neither.
     */
    static int find(byte[] data, byte[] pattern, byte[] other) {
        // The loop runs for every class the JVM loads, interpreted for the first few hundred: it reads the length in
        // line (no call per entry, half the interpreted time) and nothing but the tags and the lengths. Compiled, it
        // is bound by its chain of loads (each offset depends on the previous entry); a table of entry sizes
        // instead of the switch was slower.
        int patternLength = pattern.length;
        int otherLength = other.length;
        try {
            int count = u2(data, 8);
            int offset = 10;
            for (int i = 1; i < count; i++) {
                switch (data[offset]) {
                    case 1: // Utf8
                        int length = ((data[offset + 1] & 0xFF) << 8) | (data[offset + 2] & 0xFF);
                        if (length == patternLength && equalsAt(data, offset + 3, pattern)) {
                            return 1;
                        }
                        if (length == otherLength && equalsAt(data, offset + 3, other)) {
                            return 2;
                        }
                        offset += 3 + length;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                        offset += 5;
                        break;
                    case 5: case 6: // Long and Double take two entries
                        offset += 9;
                        i++;
                        break;
                    case 7: case 8: case 16: case 19: case 20:
                        offset += 3;
                        break;
                    case 15:
                        offset += 4;
                        break;
                    default:
                        return anywhere(data, pattern, other);
                }
            }
            return 0;
        } catch (ArrayIndexOutOfBoundsException e) {
            return anywhere(data, pattern, other);
        }
    }

    private static int anywhere(byte[] data, byte[] pattern, byte[] other) {
        return containsAnywhere(data, pattern) ? 1 : containsAnywhere(data, other) ? 2 : 0;
    }

    private static int u2(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    private static boolean equalsAt(byte[] data, int offset, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (data[offset + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    static boolean containsAnywhere(byte[] data, byte[] pattern) {
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
