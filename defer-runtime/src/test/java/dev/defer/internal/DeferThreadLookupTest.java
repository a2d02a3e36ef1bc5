package dev.defer.internal;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link DeferThread#current}'s table in front of the {@link ThreadLocal}: it answers each thread with its own
 * state only, whatever the thread ids, and holds no thread that ended.
 */
class DeferThreadLookupTest {
    /** A thread whose {@code getId()} returns another thread's id, as a subclass may on JDK 17 (and 25). */
    private static final class SameId extends Thread {
        private final long id;

        SameId(long id, Runnable body) {
            super(body);
            this.id = id;
        }

        @Override
        @SuppressWarnings("deprecation")
        public long getId() {
            return id;
        }
    }

    @SuppressWarnings("deprecation")
    private static long idOf(Thread thread) {
        return thread.getId();
    }

    @Test
    void aThreadWithAnotherLiveThreadsIdGetsItsOwnState() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<DeferThread> first = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            first.set(DeferThread.current());
            DeferSupport.enter(DeferThreadLookupTest.class, "holder()V");
            holding.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        holding.await();
        assertSame(first.get(), DeferThread.cachedAt(idOf(holder)), "the first thread's state is in the table");

        AtomicReference<DeferThread> second = new AtomicReference<>();
        AtomicReference<DeferThread> again = new AtomicReference<>();
        Thread colliding = new SameId(idOf(holder), () -> {
            second.set(DeferThread.current());
            again.set(DeferThread.current());
        });
        colliding.start();
        colliding.join();
        done.countDown();
        holder.join();

        assertNotSame(first.get(), second.get(), "the same id, another thread: another state");
        assertSame(second.get(), again.get(), "one state per thread, however it is found");
        assertNull(second.get().top, "the second thread sees none of the first one's invocations");
        assertTrue(second.get().belongsTo(colliding));
        assertTrue(first.get().belongsTo(holder));
    }

    @Test
    void theEntryOfAThreadThatEndedIsTakenOver() throws Exception {
        AtomicReference<DeferThread> first = new AtomicReference<>();
        Thread ended = new Thread(() -> first.set(DeferThread.current()));
        ended.start();
        ended.join();
        assertSame(first.get(), DeferThread.cachedAt(idOf(ended)));

        AtomicReference<DeferThread> second = new AtomicReference<>();
        Thread next = new SameId(idOf(ended), () -> second.set(DeferThread.current()));
        next.start();
        next.join();
        assertNotSame(first.get(), second.get());
        assertSame(second.get(), DeferThread.cachedAt(idOf(ended)), "the live thread took the ended one's entry");
    }

    @Test
    void theTableDoesNotKeepAThreadThatEnded() throws Exception {
        Thread ended = new Thread(DeferThread::current);
        ended.start();
        ended.join();
        long id = idOf(ended);
        assertTrue(DeferThread.cachedAt(id).belongsTo(ended), "its state is still in the table");
        WeakReference<Thread> gone = new WeakReference<>(ended);
        ended = null;
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(gone.get(), "the table's entry must not keep the thread (and its context class loader) alive");
    }
}
