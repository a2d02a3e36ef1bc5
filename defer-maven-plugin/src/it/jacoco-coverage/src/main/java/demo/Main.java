package demo;

/** Runs the ledger from the packaged jar, without the agent. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Ledger ledger = new Ledger();
        System.out.println(ledger.safeTransfer(0));
        System.out.println(ledger.closeAll(2));
        System.out.println(ledger.log());
    }
}
