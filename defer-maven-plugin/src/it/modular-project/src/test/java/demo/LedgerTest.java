package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    @Test
    void theTestsRunInTheNamedModuleUnderTheAgent() {
        assertTrue(Ledger.class.getModule().isNamed(), "Surefire put the classes on the module path");
        assertEquals("demo.ledger", Ledger.class.getModule().getName());
        assertEquals("active", System.getProperty("dev.defer.agent"));
    }

    @Test
    void deferredCallsRunLastInFirstOut() {
        Ledger ledger = new Ledger();
        assertEquals(6, ledger.post(1, 2, 3));
        assertEquals(List.of("close 2", "close 1", "close 0"), ledger.log);
    }

    @Test
    void aPanicIsRecoveredAfterTheAccountsOpenedSoFarAreClosed() {
        Ledger ledger = new Ledger();
        assertEquals(-1, ledger.post(5, -1, 7));
        assertEquals(List.of("close 1", "close 0", "recovered negative amount in account 1"), ledger.log);
    }
}
