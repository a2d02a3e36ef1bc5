package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

/**
 * A transaction rolled back by a deferred call that sees the panic. Go:
 * <pre>{@code
 * tx := db.Begin()
 * defer func() {
 *     if p := recover(); p != nil { tx.Rollback(); panic(p) }
 * }()
 * }</pre>
 * {@link #transfer} rolls back and panics again, so the caller still sees the failure; {@link #tryTransfer}
 * rolls back and turns the panic into its result instead.
 */
public final class Transaction {
    private Transaction() {
    }

    /** Moves money in one transaction; on a panic, rolls back and re-panics with the same value. */
    @Defers
    static void transfer(Bank bank, String from, String to, int amount) {
        Bank.Tx tx = bank.begin();
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                tx.rollback();
                throw Defer.panic(p);
            }
        });
        tx.move(from, to, amount);
        tx.commit();
    }

    /** Moves money in one transaction; on a panic, rolls back and returns the error as its result. */
    @Defers
    static String tryTransfer(Bank bank, String from, String to, int amount) {
        Bank.Tx tx = bank.begin();
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                tx.rollback();
                Defer.setResult("rolled back: " + Panics.message(p));
            }
        });
        tx.move(from, to, amount);
        tx.commit();
        return "committed";
    }

    /**
     * Runs a transfer that commits, one that rolls back and re-panics, and two that return their outcome.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Bank bank = new Bank().open("alice", 100).open("bob", 50);
        System.out.println("balances " + bank.balances());

        System.out.println("transfer(alice -> bob, 30)");
        transfer(bank, "alice", "bob", 30);
        System.out.println("balances " + bank.balances());

        System.out.println("transfer(alice -> carol, 30)");
        try {
            transfer(bank, "alice", "carol", 30);
        } catch (IllegalArgumentException e) {
            // The same exception the body threw: the deferred call re-panicked with it, unwrapped.
            System.out.println("caller caught " + e);
        }
        System.out.println("balances " + bank.balances());

        System.out.println("tryTransfer(bob -> alice, 10)");
        System.out.println("returned \"" + tryTransfer(bank, "bob", "alice", 10) + "\"");
        System.out.println("tryTransfer(bob -> alice, 500)");
        System.out.println("returned \"" + tryTransfer(bank, "bob", "alice", 500) + "\"");
        System.out.println("balances " + bank.balances());
    }
}
