package notify;

import java.time.Duration;

/**
 * A target's circuit breaker (docs/api.md "Delivery"), kept in Redis by begin-attempt.lua, attempt-failed.lua and
 * attempt-succeeded.lua so that every instance sees one circuit per target: {@link #FAILURES_TO_OPEN} consecutive
 * failed attempts open it for {@code openFor}; then one attempt at a time probes it (half-open), and any success
 * closes it.
 *
 * @param openFor how long an open circuit postpones its target's deliveries ({@code NOTIFY_CIRCUIT_OPEN})
 */
public record Circuit(Duration openFor) {

    /** Consecutive failed attempts to one target, across instances, that open its circuit. */
    static final int FAILURES_TO_OPEN = 5;
    /** How long a probe holds the half-open circuit (an attempt's worst case and some). */
    static final Duration PROBE_LEASE = Duration.ofSeconds(20);
    /** A circuit nobody failed on, or a parking nobody parked in, for this long is forgotten. */
    static final Duration MEMORY = Duration.ofDays(1);
}
