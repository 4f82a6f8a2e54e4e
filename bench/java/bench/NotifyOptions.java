package bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The options of NotifyBench (its usage line lists them), read and checked; a bad one ends the run with 2. */
final class NotifyOptions {

    String base;
    String amqpUrl;
    int smtpPort;
    int hookPort;
    Path keyFile;
    double rate;
    int durationA;
    int durationB;
    int concurrencyB;
    int classesB;   // 0 = sized from what phase A achieved
    int waiting;
    double rateC;
    int durationC;
    int warmupC;
    int subscribersC;
    boolean emailC;
    boolean smtpNoDelay;
    int setupThreads;
    int drainSeconds;
    String phases;
    List<Integer> hangingCounts;
    int periodH;
    int durationH;

    /**
     * Reads {@code --name value} pairs; on a bad one prints the usage and exits with 2 ({@link NotifyBench#usage}).
     */
    NotifyOptions(String[] args) {
        if (args.length % 2 != 0) {
            NotifyBench.usage("every option takes a value");
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                NotifyBench.usage("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        for (String key : opts.keySet()) {
            if (!List.of("base", "key", "smtp-port", "hook-port", "amqp", "rate", "duration", "b-duration",
                    "b-concurrency", "b-classes", "waiting", "c-rate", "c-duration", "c-warmup", "c-subscribers",
                    "c-email",
                    "smtp-nodelay", "phases", "setup-threads", "drain", "h-hanging", "h-period", "h-duration")
                    .contains(key)) {
                NotifyBench.usage("unknown option --" + key);
            }
        }
        if (!opts.containsKey("base") || !opts.containsKey("key") || !opts.containsKey("smtp-port")
                || !opts.containsKey("hook-port")) {
            NotifyBench.usage("--base, --key, --smtp-port and --hook-port are required");
        }
        try {
            base = opts.get("base").replaceAll("/$", "");
            amqpUrl = opts.get("amqp");
            if (!base.startsWith("http://127.0.0.1:") || (amqpUrl != null && !amqpUrl.contains("@127.0.0.1:"))) {
                NotifyBench.usage("--base and --amqp must point at 127.0.0.1");
            }
            keyFile = Path.of(opts.get("key"));
            smtpPort = Integer.parseInt(opts.get("smtp-port"));
            hookPort = Integer.parseInt(opts.get("hook-port"));
            rate = Double.parseDouble(opts.getOrDefault("rate", "200"));
            durationA = Integer.parseInt(opts.getOrDefault("duration", "20"));
            durationB = Integer.parseInt(opts.getOrDefault("b-duration", Integer.toString(durationA)));
            concurrencyB = Integer.parseInt(opts.getOrDefault("b-concurrency", "32"));
            classesB = Integer.parseInt(opts.getOrDefault("b-classes", "0"));
            waiting = Integer.parseInt(opts.getOrDefault("waiting", "15"));
            rateC = Double.parseDouble(opts.getOrDefault("c-rate", "1000"));
            durationC = Integer.parseInt(opts.getOrDefault("c-duration", Integer.toString(durationA)));
            warmupC = Integer.parseInt(opts.getOrDefault("c-warmup", "10"));
            subscribersC = Integer.parseInt(opts.getOrDefault("c-subscribers", "600"));
            emailC = Boolean.parseBoolean(opts.getOrDefault("c-email", "true"));
            smtpNoDelay = Boolean.parseBoolean(opts.getOrDefault("smtp-nodelay", "true"));
            setupThreads = Integer.parseInt(opts.getOrDefault("setup-threads", "16"));
            drainSeconds = Integer.parseInt(opts.getOrDefault("drain", "120"));
            phases = opts.getOrDefault("phases", amqpUrl == null ? "AB" : "ABC").toUpperCase();
            hangingCounts = Arrays.stream(opts.getOrDefault("h-hanging", "0,20,200").split(",")).map(String::trim)
                    .map(Integer::parseInt).toList();
            periodH = Integer.parseInt(opts.getOrDefault("h-period", "500"));
            durationH = Integer.parseInt(opts.getOrDefault("h-duration", "30"));
        } catch (NumberFormatException e) {
            NotifyBench.usage("not a number: " + e.getMessage());
        }
        if (rate <= 0 || rate > 10_000 || durationA < 1 || durationA > 600 || durationB < 1 || durationB > 600
                || concurrencyB < 1 || concurrencyB > 512 || classesB < 0 || classesB > 20_000 || waiting < 1
                || waiting > 15 || rateC < 0 || rateC > 20_000 || durationC < 1 || durationC > 600 || warmupC < 0
                || warmupC > 300
                || subscribersC < 1 || subscribersC > 20_000 || setupThreads < 1 || setupThreads > 128
                || drainSeconds < 5 || drainSeconds > 900 || !phases.matches("[ABCH]+") || periodH < 50
                || periodH > 60_000
                || durationH < 1 || durationH > 600 || hangingCounts.stream().anyMatch(n -> n < 0 || n > 2_000)) {
            NotifyBench.usage("an option is out of range");
        }
    }

    /** ms the whole run may take before the watchdog ends it: every phase's time and drains, and setup to spare. */
    long runLimitMillis() {
        return 900_000L + 1000L * (durationA + durationB + warmupC + durationC + 3L * drainSeconds
                + hangingCounts.size() * (durationH + 90L));
    }
}
