package dev.defer.examples;

import dev.defer.Defer;

import java.util.Map;
import java.util.TreeMap;

/** A toy in-memory bank whose transactions stage changes until commit; it prints what it does. */
final class Bank {
    private final Map<String, Integer> balances = new TreeMap<>();

    /** Opens an account with a starting balance. */
    Bank open(String account, int balance) {
        balances.put(account, balance);
        return this;
    }

    /** Returns the committed balances, for printing. */
    Map<String, Integer> balances() {
        return new TreeMap<>(balances);
    }

    /** Begins a transaction that sees the committed balances and changes nothing until {@link Tx#commit()}. */
    Tx begin() {
        System.out.println("begin");
        return new Tx(new TreeMap<>(balances));
    }

    /** A transaction: staged balances, applied by commit, dropped by rollback. */
    final class Tx {
        private final Map<String, Integer> staged;

        private Tx(Map<String, Integer> staged) {
            this.staged = staged;
        }

        /** Moves {@code amount} from one account to another; panics on a missing account or too little money. */
        void move(String from, String to, int amount) {
            int have = balance(from);
            if (have < amount) {
                // A Go-style panic with a plain value: recover() returns this String.
                throw Defer.panic("insufficient funds: " + from + " has " + have + ", needs " + amount);
            }
            staged.put(from, have - amount);
            staged.put(to, balance(to) + amount);
        }

        private int balance(String account) {
            Integer balance = staged.get(account);
            if (balance == null) {
                throw new IllegalArgumentException("no account: " + account);
            }
            return balance;
        }

        /** Applies the staged balances. */
        void commit() {
            balances.putAll(staged);
            System.out.println("commit");
        }

        /** Drops the staged balances. */
        void rollback() {
            staged.clear();
            System.out.println("rollback");
        }
    }
}
