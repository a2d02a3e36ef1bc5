package dev.defer.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM under the agent by {@link ShortStackLoadTest}: recurses until the stack overflows, and on the
 * way back up, at each of the last frames, loads a fresh copy of {@link ShortStackTarget} (a new class loader
 * each time), so that copies load with every amount of stack left near the overflow. Then, with the whole stack,
 * calls each copy that was defined and prints how many were rewritten and how many were not.
 */
public final class ShortStackLoadMain {
    private static final String TARGET = ShortStackTarget.class.getName();
    private static final int FRAMES_TRIED = 200;
    private static final List<CopyLoader> LOADERS = new ArrayList<>();
    private static byte[] targetBytes;
    private static int deepest;
    private static int overflowsAtLoad;

    private ShortStackLoadMain() {
    }

    /** Defines its own copy of the target, and takes every other class from the application. */
    private static final class CopyLoader extends ClassLoader {
        CopyLoader() {
            super(ShortStackLoadMain.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(TARGET)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineClass(name, targetBytes, 0, targetBytes.length);
            }
        }

        Class<?> defined() {
            return findLoadedClass(TARGET);
        }
    }

    private static void recurse(int depth) {
        deepest = Math.max(deepest, depth);
        try {
            recurse(depth + 1);
        } catch (StackOverflowError expected) {
            // The bottom: from here up, each frame tries a load with a little more stack than the one below.
        }
        if (deepest - depth < FRAMES_TRIED) {
            CopyLoader loader = new CopyLoader();
            LOADERS.add(loader);
            try {
                Class.forName(TARGET, false, loader);
            } catch (StackOverflowError e) {
                // As plain class loading does with no stack left: the class is not defined, nothing else happens.
                overflowsAtLoad++;
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        try (InputStream in = ShortStackLoadMain.class.getResourceAsStream("ShortStackTarget.class")) {
            targetBytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int rounds = Integer.parseInt(args[0]);
        for (int round = 0; round < rounds; round++) {
            deepest = 0;
            recurse(0);
        }
        int defined = 0;
        int rewritten = 0;
        int unrewritten = 0;
        for (CopyLoader loader : LOADERS) {
            Class<?> copy = loader.defined();
            if (copy == null) {
                continue;
            }
            defined++;
            try {
                Object result = copy.getMethod("run").invoke(null);
                if (!"body, deferred".equals(result)) {
                    throw new IllegalStateException("a rewritten copy returned " + result);
                }
                rewritten++;
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalStateException)) {
                    throw e;
                }
                unrewritten++;
            }
        }
        System.out.println("attempts " + LOADERS.size() + ", overflows at load " + overflowsAtLoad + ", defined "
                + defined + ", rewritten " + rewritten + ", unrewritten " + unrewritten);
    }
}
