package bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of RushBench's mode rush (see {@link RushBench} for the list), and what they make the rush expect:
 * student i asks for class i % classes, so each class gets {@link #studentsOf} students, and should end with
 * {@link #expectedSeats} of them seated and {@link #expectedWaiting} waiting.
 */
final class RushOptions {

    /** The service's longest waiting list (docs/api.md): the students past it are refused class-full. */
    static final int WAITLIST_MAX = 15;

    final List<String> bases = new ArrayList<>();
    Path keyFile;
    String label = "rush";
    int students;
    int classes = 1;
    int capacity;
    int concurrency = 256;
    long latencyMs = 10;
    String proxy;
    String dynamodb;
    final Map<String, Long> pids = new LinkedHashMap<>();
    double txMs;      // DynamoDB Local's own TransactWriteItems time, one at a time (the probe), 0 = unknown
    double txRate;    // its TransactWriteItems per second, 32 at a time
    double getRate;   // its consistent GetItems per second, 32 at a time
    int warmup = 1000;
    List<String> warm;   // the instances to warm up (null: all)
    int timeoutSeconds = 60;
    Path results;
    int waves;            // 0: no windows imported, everyone at once (the rush above); else staged by windows
    int gapSeconds = 60;  // between two waves' windows
    /** The instances' STORE_PREFIX (bench/rush.sh starts them with rush-): the users table the students go to. */
    String storePrefix = "rush-";

    /**
     * Reads {@code --name value} pairs; on a bad one prints the usage and exits with 2 ({@link RushBench#usage}).
     *
     * @throws NumberFormatException when a number option is not one
     */
    RushOptions(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                RushBench.usage("expected --name value, got " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--bases" -> bases.addAll(List.of(value.split(",")));
                case "--key" -> keyFile = Path.of(value);
                case "--label" -> label = value;
                case "--students" -> students = Integer.parseInt(value);
                case "--classes" -> classes = Integer.parseInt(value);
                case "--capacity" -> capacity = Integer.parseInt(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--latency-ms" -> latencyMs = Long.parseLong(value);
                case "--proxy" -> proxy = value;
                case "--dynamodb" -> dynamodb = value;
                case "--pids" -> {
                    for (String pair : value.split(",")) {
                        String[] nv = pair.split("=");
                        if (nv.length == 2 && !nv[1].isBlank()) {
                            pids.put(nv[0], Long.parseLong(nv[1]));
                        }
                    }
                }
                case "--tx-ms" -> txMs = Double.parseDouble(value);
                case "--tx-rate" -> txRate = Double.parseDouble(value);
                case "--get-rate" -> getRate = Double.parseDouble(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--warm" -> warm = value.isBlank() ? List.of() : List.of(value.split(","));
                case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                case "--results" -> results = Path.of(value);
                case "--waves" -> waves = Integer.parseInt(value);
                case "--gap" -> gapSeconds = Integer.parseInt(value);
                case "--store-prefix" -> storePrefix = value;
                default -> RushBench.usage("unknown option " + name);
            }
        }
        if (bases.isEmpty() || keyFile == null || students < 1 || classes < 1 || capacity < 1 || concurrency < 1) {
            RushBench.usage("--bases, --key, --students, --capacity are required (and positive)");
        }
        if (waves < 0 || (waves > 0 && students % waves != 0) || gapSeconds < 1) {
            RushBench.usage("--waves must divide --students, and --gap be positive");
        }
        if (waves > 0 && dynamodb == null) {
            RushBench.usage("--waves needs --dynamodb: the window import accepts only students with a user row");
        }
        List<String> addresses = new ArrayList<>(bases);
        if (proxy != null) {
            addresses.add(proxy);
        }
        if (dynamodb != null) {
            addresses.add(dynamodb);
        }
        for (String url : addresses) {
            if (!url.startsWith("http://127.0.0.1:")) {
                RushBench.usage("every address must be http://127.0.0.1:PORT, got " + url);
            }
        }
    }

    /** How many students ask for class number {@code c} (0 ≤ c &lt; classes). */
    int studentsOf(int c) {
        return students / classes + (c < students % classes ? 1 : 0);
    }

    /** The seats class number {@code c} holds after the rush. */
    int expectedSeats(int c) {
        return Math.min(studentsOf(c), capacity);
    }

    /** The students on class number {@code c}'s waiting list after the rush. */
    int expectedWaiting(int c) {
        return Math.min(Math.max(0, studentsOf(c) - capacity), WAITLIST_MAX);
    }
}
