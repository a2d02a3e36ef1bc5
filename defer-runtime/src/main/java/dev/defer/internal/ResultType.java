package dev.defer.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The return type of a rewritten method, read from its descriptor when {@code Defer.result()} or
 * {@code Defer.setResult()} first needs it: boxes the result slot, and checks what is written to it.
 */
final class ResultType {
    /** Per declaring class, its methods' result types; weak in the class, so unloading is not blocked. */
    private static final ClassValue<Map<String, ResultType>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, ResultType> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private final Class<?> owner;
    private final String method;
    /** The descriptor's first character: V Z B C S I J F D, or L and [ for references. */
    private final char sort;
    private final String descriptor;
    /** The class a reference result must be an instance of; resolved on first use. */
    private volatile Class<?> referenceType;

    private ResultType(Class<?> owner, String method) {
        this.owner = owner;
        this.method = method;
        this.descriptor = method.substring(method.indexOf(')') + 1);
        this.sort = descriptor.charAt(0);
    }

    static ResultType of(Class<?> owner, String method) {
        return CACHE.get(owner).computeIfAbsent(method, m -> new ResultType(owner, m));
    }

    Object read(Invocation invocation) {
        long p = invocation.primitive;
        switch (sort) {
            case 'V': throw voidMethod("Defer.result");
            case 'Z': return p != 0;
            case 'B': return (byte) p;
            case 'C': return (char) p;
            case 'S': return (short) p;
            case 'I': return (int) p;
            case 'J': return p;
            case 'F': return Float.intBitsToFloat((int) p);
            case 'D': return Double.longBitsToDouble(p);
            default: return invocation.reference;
        }
    }

    void write(Invocation invocation, Object value) {
        switch (sort) {
            case 'V':
                throw voidMethod("Defer.setResult");
            case 'L':
            case '[':
                if (value != null && !referenceType().isInstance(value)) {
                    throw cannotHold(value);
                }
                invocation.reference = value;
                return;
            default:
                invocation.primitive = toPrimitiveBits(value);
        }
    }

    /** The slot bits of a primitive result that {@code value} sets, checked as {@link #write} checks it. */
    long toBits(Object value) {
        if (sort == 'V') {
            throw voidMethod("Defer.setResult");
        }
        return toPrimitiveBits(value);
    }

    /** Unboxes {@code value} and widens it as Java's assignment conversion does (JLS 5.2). */
    private long toPrimitiveBits(Object value) {
        if (sort == 'Z') {
            if (value instanceof Boolean) {
                return ((Boolean) value) ? 1 : 0;
            }
            throw cannotHold(value);
        }
        int rank = widthRank(value);
        if (sort == 'C') {
            if (value instanceof Character) {
                return (Character) value;
            }
            throw cannotHold(value);
        }
        if (rank < 0 || rank > targetRank()) {
            throw cannotHold(value);
        }
        if (value instanceof Character && (sort == 'B' || sort == 'S')) {
            throw cannotHold(value);
        }
        switch (sort) {
            case 'F': return Float.floatToRawIntBits(((Number) numeric(value)).floatValue());
            case 'D': return Double.doubleToRawLongBits(((Number) numeric(value)).doubleValue());
            default: return ((Number) numeric(value)).longValue();
        }
    }

    private static Object numeric(Object value) {
        return value instanceof Character ? (int) (Character) value : value;
    }

    /** The widening order byte < short < int < long < float < double; char widens to int and up. */
    private static int widthRank(Object value) {
        if (value instanceof Byte) {
            return 0;
        } else if (value instanceof Short) {
            return 1;
        } else if (value instanceof Character) {
            return 1;
        } else if (value instanceof Integer) {
            return 2;
        } else if (value instanceof Long) {
            return 3;
        } else if (value instanceof Float) {
            return 4;
        } else if (value instanceof Double) {
            return 5;
        }
        return -1;
    }

    private int targetRank() {
        switch (sort) {
            case 'B': return 0;
            case 'S': return 1;
            case 'I': return 2;
            case 'J': return 3;
            case 'F': return 4;
            default: return 5;
        }
    }

    private Class<?> referenceType() {
        Class<?> type = referenceType;
        if (type == null) {
            String name = descriptor.charAt(0) == 'L'
                    ? descriptor.substring(1, descriptor.length() - 1).replace('/', '.')
                    : descriptor.replace('/', '.');
            try {
                // Resolved at run time by the application's own thread, as the method's code would.
                type = Class.forName(name, false, owner.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Defer.setResult in " + describe(owner, method)
                        + ": its return type " + typeName() + " cannot be loaded", e);
            }
            referenceType = type;
        }
        return type;
    }

    private IllegalStateException voidMethod(String operation) {
        return new IllegalStateException(operation + "() in " + describe(owner, method)
                + ", which returns void: there is no result slot. Fix: give the method a return type,"
                + " or do not read or write its result");
    }

    IllegalArgumentException cannotHold(Object value) {
        String valueType = value == null ? "null" : value.getClass().getName();
        return new IllegalArgumentException("Defer.setResult(" + valueType + ") in " + describe(owner, method)
                + ": the method returns " + typeName() + ", which cannot hold a " + valueType
                + ". Fix: pass a value of type " + typeName());
    }

    private String typeName() {
        return javaName(descriptor);
    }

    /** {@code com.example.Foo.bar(int, java.lang.String)}, from the class and the JVM descriptor. */
    static String describe(Class<?> owner, String method) {
        if (owner == null || method == null) {
            return "an invocation that has ended";
        }
        int open = method.indexOf('(');
        int close = method.indexOf(')');
        StringBuilder out = new StringBuilder(owner.getName()).append('.').append(method, 0, open).append('(');
        String params = method.substring(open + 1, close);
        int i = 0;
        while (i < params.length()) {
            int end = i;
            while (params.charAt(end) == '[') {
                end++;
            }
            end = params.charAt(end) == 'L' ? params.indexOf(';', end) + 1 : end + 1;
            if (i > 0) {
                out.append(", ");
            }
            out.append(javaName(params.substring(i, end)));
            i = end;
        }
        return out.append(')').toString();
    }

    static String javaName(String descriptor) {
        switch (descriptor.charAt(0)) {
            case 'V': return "void";
            case 'Z': return "boolean";
            case 'B': return "byte";
            case 'C': return "char";
            case 'S': return "short";
            case 'I': return "int";
            case 'J': return "long";
            case 'F': return "float";
            case 'D': return "double";
            case '[': return javaName(descriptor.substring(1)) + "[]";
            default: return descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
        }
    }
}
