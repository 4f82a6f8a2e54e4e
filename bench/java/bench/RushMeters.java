package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rush cost, read right before and right after it: the counters of the proxy and of DynamoDB Local (their
 * JSON endpoints, when given), the CPU time of the processes --pids names and of this one, of every process this user
 * may read, and of the whole machine (/proc).
 */
final class RushMeters {

    /** USER_HZ on Linux (getconf CLK_TCK): the unit of /proc's CPU times. */
    static final double CLOCK_TICKS = 100;

    /**
     * One reading.
     *
     * @param proxy the proxy's counters, flattened ({@code transactionsForwarded}, …; empty without --proxy)
     * @param dynamo DynamoDB Local's, flattened ({@code op.requests}, {@code op.nanos}, …; empty without --dynamodb)
     * @param cpu utime + stime (clock ticks) of each named process, this one included as "client"
     * @param processes pid → {command line (cut), utime + stime} of every process this user may read
     * @param machine {busy, total, irq + softirq} jiffies of the whole machine
     */
    record Sample(Map<String, Long> proxy, Map<String, Long> dynamo, Map<String, Long> cpu,
                  Map<Long, String[]> processes, long[] machine) {
    }

    /** What changed between two readings. */
    record Change(Sample before, Sample after) {

        /** How much the proxy's counter {@code key} grew. */
        long proxy(String key) {
            return delta(before.proxy(), after.proxy(), key);
        }

        /** How much DynamoDB Local's counter {@code key} grew. */
        long dynamo(String key) {
            return delta(before.dynamo(), after.dynamo(), key);
        }

        /** The operations DynamoDB Local counted, as of the later reading. */
        List<String> dynamoOps() {
            return after.dynamo().keySet().stream().filter(key -> key.endsWith(".requests"))
                    .map(key -> key.substring(0, key.length() - ".requests".length())).toList();
        }

        /** Clock ticks the named process spent (it was there in the later reading). */
        long cpu(String name) {
            return after.cpu().get(name) - before.cpu().getOrDefault(name, 0L);
        }

        private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
            return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
        }
    }

    private final HttpClient http;
    private final String proxyCounters;
    private final String dynamoCounters;
    private final Map<String, Long> pids;

    RushMeters(HttpClient http, RushOptions options) {
        this.http = http;
        proxyCounters = options.proxy == null ? null : options.proxy + "/__proxy/counters";
        dynamoCounters = options.dynamodb == null ? null : options.dynamodb + "/__bench/counters";
        pids = options.pids;
    }

    /** The reading before the rush: the counters first, the CPU times last (closest to the rush). */
    Sample before() throws Exception {
        Map<String, Long> proxy = counters(proxyCounters);
        Map<String, Long> dynamo = counters(dynamoCounters);
        return new Sample(proxy, dynamo, cpuTicks(), allProcesses(), machineTicks());
    }

    /**
     * The reading after the rush, against {@code before}: the CPU times first (closest to the rush), the counters
     * last.
     */
    Change since(Sample before) throws Exception {
        Map<String, Long> cpu = cpuTicks();
        Map<Long, String[]> processes = allProcesses();
        long[] machine = machineTicks();
        Map<String, Long> dynamo = counters(dynamoCounters);
        return new Change(before, new Sample(counters(proxyCounters), dynamo, cpu, processes, machine));
    }

    /** Flattened numeric counters of a JSON endpoint ({@code op.requests}, ...), or empty when url is null. */
    private Map<String, Long> counters(String url) throws Exception {
        Map<String, Long> flat = new TreeMap<>();
        if (url == null) {
            return flat;
        }
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        flatten("", Client.JSON.readTree(resp.body()), flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Long> into) {
        node.properties().forEach(field -> {
            if (field.getValue().isNumber()) {
                into.put(prefix + field.getKey(), field.getValue().asLong());
            } else if (field.getValue().isObject()) {
                flatten(prefix + field.getKey() + ".", field.getValue(), into);
            }
        });
    }

    /** utime + stime (clock ticks) of each named process, this one included as "client". */
    private Map<String, Long> cpuTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> all = new LinkedHashMap<>(pids);
        all.put("client", ProcessHandle.current().pid());
        all.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime, fields 14 and 15 of the line: the 12th and 13th after "pid (comm) "
                ticks.put(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                // the process is gone or not ours to read: left out
            }
        });
        return ticks;
    }

    /** pid → {command line (cut), utime + stime} of every process this user may read. */
    private static Map<Long, String[]> allProcesses() {
        Map<Long, String[]> all = new TreeMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.filter(d -> d.getFileName().toString().matches("[0-9]+")).forEach(d -> {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').trim();
                    if (cmd.isEmpty()) {
                        cmd = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    }
                    all.put(Long.parseLong(d.getFileName().toString()), new String[] {
                            cmd.substring(0, Math.min(70, cmd.length())),
                            Long.toString(Long.parseLong(f[11]) + Long.parseLong(f[12]))});
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            // no /proc: nothing to report
        }
        return all;
    }

    /** {busy, total, irq + softirq} jiffies of the whole machine (/proc/stat). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total, Long.parseLong(f[6]) + Long.parseLong(f[7])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }
}
