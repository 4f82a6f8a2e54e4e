package embedded;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import config.Settings;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import static org.assertj.core.api.Assertions.assertThat;

/** Each stand-in is proved real by the client the service uses against the real thing. */
class EmbeddedStoresTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoresTest.class);

    @Test
    void startsARealStandInForEveryUnsetStoreAndReleasesItsPortOnClose() throws Exception {
        Settings settings;
        long startedAt = System.nanoTime();
        try (EmbeddedStores stores = EmbeddedStores.startMissing(Settings.from(Map.of("DATA_DIR", Settings.IN_MEMORY)))) {
            LOG.info("startMissing took {} ms", Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
            settings = stores.settings();
            assertThat(List.of(settings.dynamoDbEndpoint().getHost(), settings.redisUrl().getHost(),
                    settings.rabbitMqUrls().get(0).getHost(), settings.smtpHost())).containsOnly("127.0.0.1");
            assertThat(settings.smtpPort()).isEqualTo(stores.smtp().port());

            putAndGetAnItem(settings);
            setGetAndRunAScriptWithoutPersistence(settings.redisUrl());
            publishConfirmedAndGetWithManualAck(settings.rabbitMqUrls().get(0));
            sendAMail(settings, stores.smtp());
        }
        for (int port : List.of(settings.dynamoDbEndpoint().getPort(), settings.redisUrl().getPort(),
                settings.rabbitMqUrls().get(0).getPort(), settings.smtpPort())) {
            assertThat(canListenOn(port)).as("port %d released", port).isTrue();
        }
    }

    @Test
    void startsNothingWhenEveryAddressIsSet() {
        Settings configured = Settings.from(Map.of(
                "DYNAMODB_ENDPOINT", "http://dynamodb.invalid:8000",
                "REDIS_URL", "redis://redis.invalid:6379",
                "RABBITMQ_URL", "amqp://user:pass@rabbitmq.invalid:5672/%2f",
                "SMTP_HOST", "smtp.invalid",
                "SMTP_PORT", "2525"));
        try (EmbeddedStores stores = EmbeddedStores.startMissing(configured)) {
            assertThat(stores.settings()).isEqualTo(configured);
            assertThat(stores.smtp()).isNull();
        }
    }

    private static void putAndGetAnItem(Settings settings) {
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .endpointOverride(settings.dynamoDbEndpoint())
                .region(Region.of(settings.awsRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
                .build()) {
            dynamoDb.createTable(table -> table.tableName("embedded-test")
                    .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(attribute -> attribute.attributeName("id")
                            .attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            dynamoDb.putItem(put -> put.tableName("embedded-test").item(Map.of(
                    "id", AttributeValue.fromS("a"), "seats", AttributeValue.fromN("30"))));
            Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName("embedded-test")
                    .key(Map.of("id", AttributeValue.fromS("a"))).consistentRead(true)).item();
            assertThat(item.get("seats").n()).isEqualTo("30");
        }
    }

    private static void setGetAndRunAScriptWithoutPersistence(URI redisUrl) {
        try (Jedis redis = new Jedis(redisUrl)) {
            assertThat(redis.configGet("save")).containsEntry("save", "");
            assertThat(redis.configGet("appendonly")).containsEntry("appendonly", "no");
            redis.set("greeting", "hello");
            assertThat(redis.get("greeting")).isEqualTo("hello");
            Object length = redis.eval("return redis.call('APPEND', KEYS[1], ARGV[1])",
                    List.of("greeting"), List.of(" world"));
            assertThat(length).isEqualTo(11L);
            assertThat(redis.get("greeting")).isEqualTo("hello world");
        }
    }

    private static void publishConfirmedAndGetWithManualAck(URI rabbitMqUrl) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbitMqUrl);
        byte[] body = "{\"id\":\"1\",\"type\":\"enrolled\"}".getBytes(StandardCharsets.UTF_8);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("notify", BuiltinExchangeType.FANOUT, true);
            channel.queueDeclare("email", true, false, false, null);
            channel.queueBind("email", "notify", "");
            channel.confirmSelect();
            channel.basicPublish("notify", "", MessageProperties.PERSISTENT_BASIC, body);
            channel.waitForConfirmsOrDie(5_000);

            GetResponse received = channel.basicGet("email", false);
            assertThat(received).isNotNull();
            assertThat(received.getBody()).isEqualTo(body);
            assertThat(received.getProps().getDeliveryMode()).isEqualTo(2);
            channel.basicAck(received.getEnvelope().getDeliveryTag(), false);
            assertThat(channel.messageCount("email")).isZero();
        }
    }

    private static void sendAMail(Settings settings, EmbeddedSmtp smtp) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", settings.smtpHost());
        properties.put("mail.smtp.port", Integer.toString(settings.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress(settings.notifyFrom()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("student@example.org"));
        message.setSubject("New Enrollment");
        message.setText("Student 7 is now enrolled in class 12.");
        Transport.send(message);

        assertThat(smtp.greenMail().waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(smtp.greenMail().getReceivedMessages()[0].getSubject()).isEqualTo("New Enrollment");
    }

    private static boolean canListenOn(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
