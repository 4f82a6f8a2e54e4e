package bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue of NotifyBench's own bound to the exchange `notify`: when each event reached the broker, to split the
 * latency at the broker. Empty until {@link #start}ed (without --amqp it stays empty).
 */
final class BrokerTap {

    /** event id → when the tap queue got it from the broker */
    private final Map<String, Long> atBroker = new ConcurrentHashMap<>();
    private final AtomicInteger republished = new AtomicInteger();
    private Channel channel;

    /**
     * Declares the queue (exclusive, deleted with its channel) and consumes it.
     *
     * @throws IOException when the broker refuses the queue or the binding
     */
    void start(Connection amqp) throws IOException {
        channel = amqp.createChannel();
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, "notify", "");
        DeliverCallback onEvent = (tag, message) -> {
            long now = System.currentTimeMillis();
            try {
                if (atBroker.putIfAbsent(Client.JSON.readTree(message.getBody()).get("id").asText(), now) != null) {
                    republished.incrementAndGet();   // the outbox sweep published it again
                }
            } catch (Exception ignored) {
                // not an event of ours
            }
        };
        channel.basicConsume(queue, true, onEvent, tag -> { });
    }

    /** Stops taking events (what it took stays); nothing when not started. */
    void close() throws IOException, TimeoutException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Whether it took no event (not started, or nothing published). */
    boolean isEmpty() {
        return atBroker.isEmpty();
    }

    /** When the event reached the broker (System.currentTimeMillis), or null when the tap did not see it. */
    Long atBroker(String eventId) {
        return atBroker.get(eventId);
    }

    /** Events the broker got more than once (the outbox sweep published them again). */
    int republished() {
        return republished.get();
    }
}
