package store;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One write at a time per hot DynamoDB item within this instance. DynamoDB cancels a transaction that touches an
 * item another transaction is writing, so N concurrent writers of one item in one instance would mostly cancel
 * each other and retry; queued here in arrival order (a fair semaphore), they reach DynamoDB one after another
 * and only writers in other instances can conflict, which the client's retries absorb. The wait counts against
 * the caller's time budget.
 */
public final class HotItems {

    private final ConcurrentHashMap<String, Semaphore> gates = new ConcurrentHashMap<>();
    private final Duration budget;

    /** @param budget the most a caller waits for its turn and then writes, together */
    public HotItems(Duration budget) {
        this.budget = budget;
    }

    /**
     * Runs {@code write} when no other caller of this instance writes {@code item}.
     *
     * @param item the item's identity, e.g. {@code "classes#12"}
     * @param write the write, given what is left of the budget (to bound its own retries)
     * @return what the write returned
     * @throws StoreBusyException when the turn did not come within the budget
     */
    public <T> T oneAtATime(String item, Function<Duration, T> write) {
        long deadline = System.nanoTime() + budget.toNanos();
        Semaphore gate = gates.computeIfAbsent(item, key -> new Semaphore(1, true));
        try {
            if (!gate.tryAcquire(budget.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting to write " + item);
        }
        try {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.toMillis() < 1) {
                throw busy(item);
            }
            return write.apply(left);
        } finally {
            gate.release();
        }
    }

    private static StoreBusyException busy(String item) {
        return new StoreBusyException(item + " is being written by many requests; try again shortly");
    }
}
