package demo;

import dev.defer.Defer;
import dev.defer.Defers;

/** A service whose deferred handlers recover: its tests spy on it and mock its statics with Mockito. */
public class Orders {
    private int open;

    /** Opens an order and closes it when done; a bad quantity is refused by the deferred handler. */
    @Defers
    public String place(int quantity) {
        open++;
        Defer.defer(this::close);
        Defer.defer(this::refuse);
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity " + quantity);
        }
        return "placed " + quantity;
    }

    /** The same through a static handler. */
    @Defers
    public static String quote(int quantity) {
        Defer.defer(Orders::refuseStatic);
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity " + quantity);
        }
        return "quote " + quantity;
    }

    void close() {
        open--;
    }

    void refuse() {
        Object p = Defer.recover();
        if (p != null) {
            Defer.setResult("refused: " + ((Throwable) p).getMessage());
        }
    }

    static void refuseStatic() {
        Object p = Defer.recover();
        if (p != null) {
            Defer.setResult("no quote: " + ((Throwable) p).getMessage());
        }
    }

    public int open() {
        return open;
    }
}
