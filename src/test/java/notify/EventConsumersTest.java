package notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Campus.Student;
import support.RunningService;
import support.TestStores;

/**
 * A third party's consumer, written with the plain RabbitMQ client as docs/api.md's "Consuming the events
 * yourself" says: it finds the {@code notify} exchange, binds its own queue and reads the AMQP properties.
 */
class EventConsumersTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    @Test
    void anEventCarriesItsIdTypeTimestampAndJsonContentTypeAsAmqpProperties() throws Exception {
        try (Connection connection = TestStores.plainRabbitMq().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclarePassive("notify");
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "notify", "");

            long classId = running.campus.newClass(1);
            Student seated = running.campus.student();
            Student waiting = running.campus.student();
            running.campus.enroll(seated, classId);
            running.campus.enroll(waiting, classId);
            long droppedAt = System.currentTimeMillis();
            assertThat(running.campus.drop(seated, classId).status()).isEqualTo(200);

            GetResponse message = awaitEventFor(channel, queue, waiting.id());
            JsonNode event = new ObjectMapper().readTree(message.getBody());
            assertThat(message.getProps().getContentType()).isEqualTo("application/json");
            assertThat(message.getProps().getMessageId()).isEqualTo(event.get("id").asText());
            assertThat(message.getProps().getType()).isEqualTo("enrolled");
            assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(message.getProps().getTimestamp().getTime() / 1000)
                    .isBetween(droppedAt / 1000 - 1, System.currentTimeMillis() / 1000 + 1);
        }
    }

    private static GetResponse awaitEventFor(Channel channel, String queue, long studentId) {
        return Awaitility.await("an event for student " + studentId).atMost(Duration.ofSeconds(15))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> queuedEventFor(channel, queue, studentId), Objects::nonNull);
    }

    /** The student's event if it is queued, the others before it taken off the queue; null when it is not yet. */
    private static GetResponse queuedEventFor(Channel channel, String queue, long studentId) throws Exception {
        for (GetResponse message = channel.basicGet(queue, true); message != null;
             message = channel.basicGet(queue, true)) {
            if (new ObjectMapper().readTree(message.getBody()).get("studentId").asLong() == studentId) {
                return message;
            }
        }
        return null;
    }
}
