package notify;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Campus;
import support.Campus.Student;
import support.TestService;
import support.TestStores;
import support.Tokens;

/**
 * A third party's consumer, written with the plain RabbitMQ client as the README's "Consuming the events
 * yourself" says: it finds the {@code notify} exchange, binds its own queue and reads the AMQP properties.
 */
class EventConsumersTest {

    static Tokens tokens = new Tokens();
    static EnrollmentService service;
    static Campus campus;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(Map.of("JWT_PRIVATE_KEY_FILE", tokens.pemFile()));
        campus = new Campus(new Api(service), tokens);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void anEventCarriesItsIdTypeTimestampAndJsonContentTypeAsAmqpProperties() throws Exception {
        try (Connection connection = TestStores.plainRabbitMq().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclarePassive("notify");
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "notify", "");

            long classId = campus.newClass(1);
            Student seated = campus.student();
            Student waiting = campus.student();
            campus.enroll(seated, classId);
            campus.enroll(waiting, classId);
            long droppedAt = System.currentTimeMillis();
            assertThat(campus.drop(seated, classId).status()).isEqualTo(200);

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

    private static GetResponse awaitEventFor(Channel channel, String queue, long studentId) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            GetResponse message = channel.basicGet(queue, true);
            if (message == null) {
                Thread.sleep(100);
            } else if (new ObjectMapper().readTree(message.getBody()).get("studentId").asLong() == studentId) {
                return message;
            }
        }
        throw new AssertionError("no event for student " + studentId + " within 15 s");
    }
}
