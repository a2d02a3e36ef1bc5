package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

/** A panic turned into an error value: recover() in a deferred call, then setResult. */
public final class SafeParse {
    private SafeParse() {
    }

    /** Parses an int; never throws, returning {@code "ok: n"} or {@code "error: "} and what was recovered. */
    @Defers
    static String safeParse(String s) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("error: " + p);
            }
        });
        if (s.isBlank()) {
            // A Go-style panic with a plain value: recover() returns the String itself.
            throw Defer.panic("empty input");
        }
        return "ok: " + Integer.parseInt(s);
    }

    /**
     * Parses good and bad input.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (String s : new String[] {"42", "-7", "abc", "", "99999999999"}) {
            System.out.println("safeParse(\"" + s + "\") = " + safeParse(s));
        }
    }
}
