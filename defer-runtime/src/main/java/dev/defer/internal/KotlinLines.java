package dev.defer.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * For an error message only: where a line of Kotlin's inlined code really is. kotlinc numbers the code it
 * copies from an inline function past the end of the caller's file and maps those lines in the class's SMAP
 * ({@code SourceDebugExtension}): the {@code Kotlin} stratum to the inline function's file and line, the
 * {@code KotlinDebug} stratum to the call's line. Read from the class file's bytes on the error path; anything
 * that cannot be read maps to nothing, and the message keeps the line the JVM reported.
 */
final class KotlinLines {
    private KotlinLines() {
    }

    /**
     * @param type the class of the frame
     * @param line the frame's line number
     * @return {@code "12, inlined from Helpers.kt:6"} for inlined code, or null
     */
    static String describe(Class<?> type, int line) {
        if (line < 0 || type.isHidden()) {
            return null;
        }
        try {
            String smap = sourceDebugExtension(type);
            if (smap == null || !smap.startsWith("SMAP")) {
                return null;
            }
            String origin = map(smap, "Kotlin", line, true);
            String call = map(smap, "KotlinDebug", line, false);
            return origin == null || call == null ? null
                    : call.substring(call.indexOf(':') + 1) + ", inlined from " + origin;
        } catch (IOException | RuntimeException e) {
            // The message is being built for another error: keep the JVM's line rather than lose that error.
            return null;
        }
    }

    /** {@code file:line} in a stratum, or null; the Kotlin stratum's identity range (own lines) is left out. */
    private static String map(String smap, String stratum, int line, boolean skipOwnLines) {
        String[] lines = smap.split("\n");
        boolean in = false;
        String section = "";
        java.util.Map<String, String> files = new java.util.HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i].trim();
            if (text.startsWith("*S ")) {
                in = text.substring(3).trim().equals(stratum);
                section = "";
            } else if (text.startsWith("*")) {
                section = text;
            } else if (in && section.equals("*F") && text.startsWith("+ ")) {
                String[] parts = text.substring(2).trim().split(" ", 2);
                files.put(parts[0], parts[1]);
                i++;
            } else if (in && section.equals("*L") && !text.isEmpty()) {
                // InputStart#FileId,Repeat:OutputStart,Increment
                String[] sides = text.split(":", 2);
                String[] input = sides[0].split(",", 2);
                String[] start = input[0].split("#", 2);
                String[] output = sides[1].split(",", 2);
                int repeat = input.length > 1 ? Integer.parseInt(input[1]) : 1;
                int outStart = Integer.parseInt(output[0]);
                int step = Math.max(output.length > 1 ? Integer.parseInt(output[1]) : 1, 1);
                if (line >= outStart && line < outStart + repeat * step) {
                    String id = start.length > 1 ? start[1] : "1";
                    int mapped = Integer.parseInt(start[0]) + (line - outStart) / step;
                    // File 1's lines mapped onto themselves are the class's own; inlined code maps elsewhere.
                    return skipOwnLines && id.equals("1") && mapped == line || !files.containsKey(id) ? null
                            : files.get(id) + ":" + mapped;
                }
            }
        }
        return null;
    }

    /** The class file's SourceDebugExtension attribute, read from the bytes its loader gives. */
    private static String sourceDebugExtension(Class<?> type) throws IOException {
        String name = type.getName();
        InputStream stream = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class");
        if (stream == null) {
            return null;
        }
        byte[] bytes;
        try (stream) {
            bytes = stream.readAllBytes();
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.skipBytes(8);
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break;
                case 5: case 6: in.skipBytes(8); i++; break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                case 15: in.skipBytes(3); break;
                case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                default: return null;
            }
        }
        in.skipBytes(6);
        in.skipBytes(2 * in.readUnsignedShort());
        for (int members = 0; members < 2; members++) {
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                in.skipBytes(6);
                skipAttributes(in);
            }
        }
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String attribute = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if ("SourceDebugExtension".equals(attribute)) {
                byte[] value = new byte[length];
                in.readFully(value);
                return new String(value, StandardCharsets.UTF_8);
            }
            in.skipBytes(length);
        }
        return null;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.skipBytes(2);
            in.skipBytes(in.readInt());
        }
    }
}
