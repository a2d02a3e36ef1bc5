package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.mockito.Mockito;

class OrdersTest {
    @Test
    void realObject() {
        Orders orders = new Orders();
        assertEquals("placed 2", orders.place(2));
        assertEquals("refused: quantity 0", orders.place(0));
        assertEquals(0, orders.open());
    }

    @Test
    void spyRecoversAsTheRealObject() {
        Orders spy = Mockito.spy(new Orders());
        assertEquals("refused: quantity -1", spy.place(-1));
        assertEquals("placed 1", spy.place(1));
        assertEquals(0, spy.open());
        Mockito.verify(spy, Mockito.times(2)).refuse();
        Mockito.verify(spy, Mockito.times(2)).close();
    }

    @Test
    void staticMockCallingTheRealMethodsRecovers() {
        assertEquals("quote 3", Orders.quote(3));
        try (MockedStatic<Orders> mocked = Mockito.mockStatic(Orders.class, Mockito.CALLS_REAL_METHODS)) {
            assertEquals("no quote: quantity 0", Orders.quote(0));
            mocked.verify(Orders::refuseStatic);
        }
    }
}
