package dev.defer.examples;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Stream wrappers that print when they are closed, so the examples can show when deferred closes run. */
final class Loud {
    private Loud() {
    }

    /** Wraps {@code in} so that closing it prints {@code closed <name>}. */
    static InputStream in(InputStream in, String name) {
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                System.out.println("closed " + name);
                super.close();
            }
        };
    }

    /** Wraps {@code out} so that closing it prints {@code closed <name>}. */
    static OutputStream out(OutputStream out, String name) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // FilterOutputStream writes byte by byte; pass whole arrays through.
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                System.out.println("closed " + name);
                super.close();
            }
        };
    }
}
