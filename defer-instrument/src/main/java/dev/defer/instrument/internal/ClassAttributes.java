package dev.defer.instrument.internal;

/**
 * Reads a class file's own attribute table (the one after the methods) without parsing the rest: whether an
 * attribute of a given name is there. Only called once the cheap constant-pool scan has found the name,
 * which any class may hold as a string constant; the attribute table alone decides.
 */
final class ClassAttributes {
    private ClassAttributes() {
    }

    /**
     * Whether the class file has a class-level attribute named {@code name}.
     *
     * @param data the class file
     * @param name the attribute's name, ASCII
     * @return false also for a class file that cannot be walked (truncated, or a constant the walk does not
     *     know): the rewrite then parses it and reports what is wrong, rather than skipping it unseen
     */
    static boolean has(byte[] data, byte[] name) {
        try {
            int count = u2(data, 8);
            int[] entries = new int[count];
            int offset = 10;
            for (int i = 1; i < count; i++) {
                entries[i] = offset;
                byte tag = data[offset];
                offset += entrySize(data, offset);
                if (tag == 5 || tag == 6) {
                    i++; // Long and Double take two entries
                }
            }
            offset += 6; // access flags, this class, super class
            offset += 2 + 2 * u2(data, offset); // interfaces
            offset = skipMembers(data, offset); // fields
            offset = skipMembers(data, offset); // methods
            int attributes = u2(data, offset);
            offset += 2;
            for (int a = 0; a < attributes; a++) {
                int end = offset + 6 + u4(data, offset + 2);
                if (end > data.length) {
                    return false;
                }
                if (isUtf8(data, entries, u2(data, offset), name)) {
                    return true;
                }
                offset = end;
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            return false;
        }
    }

    private static int entrySize(byte[] data, int offset) {
        switch (data[offset]) {
            case 1:
                return 3 + u2(data, offset + 1);
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                return 5;
            case 5: case 6:
                return 9;
            case 7: case 8: case 16: case 19: case 20:
                return 3;
            case 15:
                return 4;
            default:
                throw new IllegalArgumentException("constant pool tag " + data[offset]);
        }
    }

    private static int skipMembers(byte[] data, int offset) {
        int members = u2(data, offset);
        offset += 2;
        for (int m = 0; m < members; m++) {
            int attributes = u2(data, offset + 6);
            offset += 8;
            for (int a = 0; a < attributes; a++) {
                offset += 6 + u4(data, offset + 2);
            }
        }
        return offset;
    }

    private static boolean isUtf8(byte[] data, int[] entries, int index, byte[] name) {
        if (index <= 0 || index >= entries.length) {
            return false;
        }
        int offset = entries[index];
        if (data[offset] != 1 || u2(data, offset + 1) != name.length) {
            return false;
        }
        for (int j = 0; j < name.length; j++) {
            if (data[offset + 3 + j] != name[j]) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    private static int u4(byte[] data, int offset) {
        int value = (u2(data, offset) << 16) | u2(data, offset + 2);
        if (value < 0) {
            throw new IllegalArgumentException("attribute length " + Integer.toUnsignedString(value));
        }
        return value;
    }
}
