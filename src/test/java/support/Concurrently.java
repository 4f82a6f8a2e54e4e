package support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Real concurrent requests: n threads released together by a latch, or clients and a watcher side by side. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs n requests at the same moment and returns their answers in the order of their index.
     *
     * @param request makes request i (0 ≤ i < n)
     */
    public static List<Api.Response> run(int n, Function<Integer, Api.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Api.Response> task = () -> {
                    start.await();
                    return request.apply(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs n clients and a watcher beside them, each on a thread of its own, all at once (clients that keep going
     * until a deadline, a watcher checking what they do meanwhile), and waits until every one has ended.
     *
     * @param client makes client i's work (0 ≤ i < n)
     * @param watcher what runs beside them
     * @throws java.util.concurrent.ExecutionException the first failure, clients first in the order of their index
     */
    public static void all(int n, IntFunction<Callable<?>> client, Callable<?> watcher) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(client.apply(i)));
            }
            futures.add(pool.submit(watcher));
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
