package support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Real concurrent requests: n threads released together by a latch. */
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
     * Runs the tasks each on a thread of its own, all at once (clients that keep going until a deadline, and a watcher
     * beside them), and waits until every one has ended.
     *
     * @param tasks what each thread does
     * @throws java.util.concurrent.ExecutionException the first task's failure, in the order of the list
     */
    public static void all(List<Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
