package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Churn on one class (issue 17's soak): students keep enrolling, reading, dropping and leaving a small class while
 * the service promotes waiting students into every freed seat. bench/churn.sh starts the service and runs this:
 *
 *   java -cp CP bench.ChurnBench --base http://127.0.0.1:PORT --class ID --tokens FILE --seconds 60 --label NAME
 *
 * FILE holds one student's bearer token per line: one client thread per student, each cycling, until the time is up:
 *   enroll → 201: read my enrollments, drop
 *          → 202: read my waiting-list position, wait 50 ms, read my enrollments; promoted: drop; else leave the list
 *                 (a 404 means a promotion took me off it: read again until I hold the seat, then drop)
 *          → 409 class-full: wait 50 ms
 * Every request's latency (sent → answer) is recorded by kind; a request still running at the end is waited for
 * (up to 10 minutes), so the longest request is the real one. Prints one summary line per kind and a TSV row:
 * label, drops, drop p50/p99/max (ms), longest request (ms, kind), requests, non-2xx/409/404 answers.
 */
public class ChurnBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, List<Long>> LATENCIES = new ConcurrentHashMap<>();
    static final AtomicInteger UNEXPECTED = new AtomicInteger();
    static final List<String> UNEXPECTED_SAMPLES = new CopyOnWriteArrayList<>();
    static String base;
    static long classId;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        base = options.get("base");
        classId = Long.parseLong(options.get("class"));
        List<String> tokens = Files.readAllLines(Path.of(options.get("tokens"))).stream()
                .filter(line -> !line.isBlank()).toList();
        long end = System.currentTimeMillis() + 1000L * Long.parseLong(options.getOrDefault("seconds", "60"));
        String label = options.getOrDefault("label", "churn");

        List<Thread> students = new ArrayList<>();
        for (String token : tokens) {
            Thread student = new Thread(() -> cycle(token, end), "student");
            students.add(student);
            student.start();
        }
        for (Thread student : students) {
            student.join();
        }

        double[] drops = sorted("drop");
        String longestKind = "";
        double longest = 0;
        long requests = 0;
        for (String kind : LATENCIES.keySet()) {
            double[] sorted = sorted(kind);
            requests += sorted.length;
            System.out.printf(Locale.ROOT, "[churn] %s %-8s n=%6d p50=%7.1f p99=%8.1f max=%9.1f ms%n", label,
                    kind, sorted.length, Percentiles.of(sorted, 50), Percentiles.of(sorted, 99),
                    Percentiles.of(sorted, 100));
            if (Percentiles.of(sorted, 100) > longest) {
                longest = Percentiles.of(sorted, 100);
                longestKind = kind;
            }
        }
        UNEXPECTED_SAMPLES.stream().limit(5).forEach(sample -> System.out.println("[churn] unexpected: " + sample));
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f (%s)\t%d\t%d%n", label, drops.length,
                Percentiles.of(drops, 50), Percentiles.of(drops, 99), Percentiles.of(drops, 100), longest,
                longestKind, requests, UNEXPECTED.get());
    }

    /** One student until {@code end}: see the header. */
    static void cycle(String token, long end) {
        String mine = "/student/enrollments/" + classId;
        try {
            while (System.currentTimeMillis() < end) {
                int enrolled = send("enroll", "POST", mine, token);
                if (enrolled == 201) {
                    send("read", "GET", "/student/enrollments", token);
                    send("drop", "DELETE", mine, token);
                } else if (enrolled == 202) {
                    send("read", "GET", "/student/waitlist/" + classId, token);
                    Thread.sleep(50);
                    waitThenDropOrLeave(token, mine);
                } else {
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void waitThenDropOrLeave(String token, String mine) throws InterruptedException {
        for (int look = 0; look < 2000; look++) {
            if (holdsSeat(token)) {
                send("drop", "DELETE", mine, token);
                return;
            }
            int left = send("leave", "DELETE", "/student/waitlist/" + classId, token);
            if (left != 404) {
                return;
            }
            Thread.sleep(20);  // in a promotion: look again
        }
    }

    static boolean holdsSeat(String token) {
        HttpResponse<String> answer = request("read", "GET", "/student/enrollments", token);
        String body = answer.body();
        int waitlisted = body.indexOf("\"waitlisted\"");
        String enrolled = waitlisted < 0 ? body : body.substring(0, waitlisted);
        return enrolled.contains("\"id\":" + classId + ",");
    }

    static int send(String kind, String method, String path, String token) {
        return request(kind, method, path, token).statusCode();
    }

    static HttpResponse<String> request(String kind, String method, String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            LATENCIES.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(System.nanoTime() - start);
            int status = answer.statusCode();
            if (status >= 300 && status != 409 && status != 404) {
                UNEXPECTED.incrementAndGet();
                UNEXPECTED_SAMPLES.add(kind + " " + status + " " + answer.body());
            }
            return answer;
        } catch (Exception e) {
            throw new IllegalStateException(kind + " " + method + " " + path + ": " + e, e);
        }
    }

    /** The latencies of one kind of request, in ms, ascending ({0} when there was none). */
    static double[] sorted(String kind) {
        return Percentiles.sorted(LATENCIES.getOrDefault(kind, List.of(0L)).stream().map(nanos -> nanos / 1e6)
                .toList());
    }
}
