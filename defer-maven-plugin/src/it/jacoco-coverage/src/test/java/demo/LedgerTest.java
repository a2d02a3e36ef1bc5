package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LedgerTest {
    @Test
    void transferRunsTheDeferredCallOnBothPaths() {
        Ledger ledger = new Ledger();
        assertEquals("moved 5", ledger.transfer(5));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer(0));
        assertEquals("begin;end;begin;end;", ledger.log());
    }

    @Test
    void safeTransferRecovers() {
        Ledger ledger = new Ledger();
        assertEquals("refused: amount -1", ledger.safeTransfer(-1));
        assertEquals("moved 3", ledger.safeTransfer(3));
    }

    @Test
    void closeAllDefersInALoop() {
        Ledger ledger = new Ledger();
        assertEquals(2, ledger.closeAll(2));
        assertEquals(0, ledger.closeAll(0));
        assertEquals("close 1;close 0;", ledger.log());
    }

    @Test
    void mainPrints() {
        Main.main(new String[0]);
    }
}
