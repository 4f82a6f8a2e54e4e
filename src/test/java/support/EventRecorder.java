package support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A third party's queue on the {@code notify} exchange, as the README's "Consuming the events yourself" declares
 * it (durable, so it keeps what arrives while this consumer reconnects after a broker restart; bound with an
 * empty routing key): it records every message that reached the exchange, acknowledging each once recorded.
 * The client recovers its connection and consumer by itself after the broker comes back (RabbitMQ's automatic
 * recovery, every second).
 */
public final class EventRecorder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as it arrived: the AMQP {@code message_id} and {@code type}, and the event's JSON body. */
    public record Recorded(String messageId, String type, JsonNode event, long arrivedAtMillis) {

        public long classId() {
            return event.path("classId").asLong();
        }

        public long studentId() {
            return event.path("studentId").asLong();
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

    private EventRecorder(Connection connection, Channel channel, String queue) {
        this.connection = connection;
        this.channel = channel;
        this.queue = queue;
    }

    /**
     * Declares {@code notify} as the service does (fanout, durable), a durable queue of its own bound to it, and
     * starts consuming.
     *
     * @param broker a connection factory for the service's broker
     */
    public static EventRecorder start(ConnectionFactory broker) throws Exception {
        broker.setAutomaticRecoveryEnabled(true);
        broker.setTopologyRecoveryEnabled(true);
        broker.setNetworkRecoveryInterval(1000);
        Connection connection = broker.newConnection("fault-injection-recorder");
        Channel channel = connection.createChannel();
        String queue = "fault-injection-" + UUID.randomUUID();
        channel.exchangeDeclare("notify", "fanout", true);
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, "notify", "");
        EventRecorder recorder = new EventRecorder(connection, channel, queue);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                recorder.recorded.add(new Recorded(properties.getMessageId(), properties.getType(),
                        JSON.readTree(body), System.currentTimeMillis()));
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
        return recorder;
    }

    /** Every message recorded so far about one of these classes (an event published twice is listed twice). */
    public List<Recorded> about(Collection<Long> classIds) {
        return recorded.stream().filter(r -> classIds.contains(r.classId())).toList();
    }

    /** Deletes its queue and closes the connection. */
    @Override
    public void close() throws Exception {
        try {
            channel.queueDelete(queue);
        } finally {
            connection.close();
        }
    }
}
