package notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import event.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus.Student;
import support.RunningService;
import support.TestStores;
import support.WebhookReceiver;

/**
 * Messages on {@code notify} that are no events (someone else's publisher, a bug, an attack) are parked where the
 * registrar can see them, acknowledged, and never hold back the real events behind them.
 */
class PoisonMessagesTest {

    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

    @Test
    void eachKindOfPoisonIsParkedListedNotReplayableAndTheNextEventIsDeliveredAtOnce() throws Exception {
        String wrongTypes = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"enrolled\",\"action\":\"enrolled\","
                + "\"uid\":7,\"class\":12,\"studentId\":\"seven\",\"classId\":12,\"title\":\"T\","
                + "\"occurredAt\":\"2026-11-29T08:00:00Z\"}";
        String huge = "x".repeat(5 * 1024 * 1024);
        List<String> poison = List.of("not json at all", "{}", "null", huge, wrongTypes);
        // each poison message reaches both queues; the deliver route catches it as unreadable and parks it
        NotifyBuilder parkedAll = new NotifyBuilder(running.service.camelContext()).fromRoute("deliver-*")
                .filter(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof UnreadableEventException)
                .whenDone(poison.size() * 2).create();
        try (Connection connection = TestStores.plainRabbitMq().newConnection();
             Channel channel = connection.createChannel()) {
            for (String message : poison) {
                channel.basicPublish("notify", "", MessageProperties.PERSISTENT_TEXT_PLAIN,
                        message.getBytes(StandardCharsets.UTF_8));
            }
        }

        assertThat(parkedAll.matches(20, TimeUnit.SECONDS)).as("every poison message was parked").isTrue();
        List<JsonNode> parked = unreadable();
        assertThat(parked).hasSize(10);
        assertThat(parked).extracting(letter -> letter.get("target").asText())
                .containsOnly("email", "webhook");
        assertThat(parked).allSatisfy(letter -> {
            assertThat(letter.get("lastError").asText()).startsWith("not an event: ").doesNotContain("Exception");
            assertThat(letter.has("eventId")).isFalse();
        });
        assertThat(parked).extracting(letter -> letter.get("body").asText())
                .contains("not json at all", "{}", "null", wrongTypes, "x".repeat(64 * 1024))
                .allSatisfy(body -> assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65536));

        String letterId = parked.get(0).get("id").asText();
        Api.Response replay = running.api.post("/registrar/dead-letters/" + letterId + "/replay",
                running.campus.registrar, null);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().get("code").asText()).isEqualTo("not-replayable");

        try (WebhookReceiver receiver = new WebhookReceiver()) {
            long classId = running.campus.newClass(1);
            Student seated = running.campus.student();
            Student waiting = running.campus.student();
            running.campus.enroll(seated, classId);
            running.campus.enroll(waiting, classId);
            assertThat(running.api.post("/student/subscribe/" + classId, waiting.token(),
                    Map.of("callbackUrl", receiver.url("/hooks/after-poison"))).status()).isEqualTo(201);
            long dropped = System.currentTimeMillis();
            running.campus.drop(seated, classId);
            List<WebhookReceiver.Received> hooks = receiver.await(1, 10_000);
            assertThat(hooks).hasSize(1);
            assertThat(hooks.get(0).arrivedAtMillis() - dropped).isLessThan(3_000);
        }
        assertThat(unreadable()).hasSize(10);
    }

    /** The dead letters of channel {@code unreadable}, as the registrar lists them. */
    private static List<JsonNode> unreadable() {
        List<JsonNode> parked = new ArrayList<>();
        JsonNode letters = running.api.get("/registrar/dead-letters", running.campus.registrar).json();
        for (JsonNode letter : letters.get("deadLetters")) {
            if (letter.get("channel").asText().equals("unreadable")) {
                parked.add(letter);
            }
        }
        return parked;
    }
}
