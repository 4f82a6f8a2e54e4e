package bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * What NotifyBench's phases share: the options, the client of the service, the stand-ins and the report, and the
 * events phases C and H publish straight to the exchange `notify`, bypassing the API, DynamoDB and the outbox.
 */
abstract class NotifyPhase {

    /** Persistent JSON messages. */
    static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
            .contentType("application/json").deliveryMode(2).build();

    final NotifyOptions options;
    final NotifyClient load;
    final NotifyReport report;
    final HookReceiver hooks;
    final MailSink mail;

    NotifyPhase(NotifyOptions options, NotifyClient load, NotifyReport report) {
        this.options = options;
        this.load = load;
        this.report = report;
        hooks = report.hooks;
        mail = report.mail;
    }

    /**
     * Publishes an `enrolled` event of the student in the class to `notify`, occurred now, shaped as the service's.
     *
     * @param title the class's title in the event: whose event it is ("Notify bench C")
     * @throws IOException when the channel is closed
     */
    static void publish(Channel ch, String title, long student, long classId) throws IOException {
        String event = String.format("{\"id\":\"%s\",\"type\":\"enrolled\",\"action\":\"enrolled\",\"uid\":%d,"
                        + "\"class\":%d,\"studentId\":%d,\"classId\":%d,\"title\":\"%s\","
                        + "\"studentName\":\"Student %d\",\"occurredAt\":\"%s\"}", UUID.randomUUID(), student,
                classId, student, classId, title, student, Instant.now());
        ch.basicPublish("notify", "", PERSISTENT_JSON, event.getBytes(StandardCharsets.UTF_8));
    }

    /** Sleeps, keeping the interrupt for the caller's loop to see. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
