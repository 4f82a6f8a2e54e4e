package support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import support.TlsSmtpServer.Security;

/**
 * The TLS test servers are what they claim, checked with plain clients (Jedis, the RabbitMQ Java client,
 * Jakarta Mail) configured the strict way: only the test CA trusted, host names verified. Each store accepts
 * the right credentials over TLS and refuses a wrong password, a plaintext connection and a certificate from
 * a CA the client does not trust. Skips what the machine lacks (redis-server, python3-aiosmtpd, CI's RabbitMQ).
 */
class TlsServersTest {

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Redis {

        TlsRedisServer redis;

        /** Started before the first test rather than in @BeforeAll, so that Surefire reports each skip's reason. */
        @BeforeEach
        void start() throws Exception {
            if (redis == null) {
                redis = TlsRedisServer.start();
            }
        }

        @AfterAll
        void stop() {
            if (redis != null) {
                redis.close();
            }
        }

        @Test
        void answersOverTlsWithTheTestCaTrustedAndTheHostNameVerified() {
            try (Jedis jedis = jedis(redis.url(), TestCertificates.sslContext())) {
                assertThat(jedis.ping()).isEqualTo("PONG");
                assertThat(jedis.aclWhoAmI()).isEqualTo(TlsRedisServer.USERNAME);
                jedis.set("tls-check", "ok");
                assertThat(jedis.get("tls-check")).isEqualTo("ok");
            }
        }

        @Test
        void refusesAWrongPassword() {
            String wrong = redis.url().replace(redis.password(), "wrong-password");
            assertThatThrownBy(() -> ping(wrong, TestCertificates.sslContext()))
                    .isInstanceOf(JedisAccessControlException.class).hasMessageStartingWith("WRONGPASS");
        }

        @Test
        void refusesCommandsBeforeAuth() {
            String anonymous = "rediss://localhost:" + redis.port();
            assertThatThrownBy(() -> ping(anonymous, TestCertificates.sslContext()))
                    .isInstanceOf(JedisAccessControlException.class).hasMessageStartingWith("NOAUTH");
        }

        @Test
        void refusesPlaintext() {
            URI plaintext = URI.create(redis.url().replace("rediss:", "redis:"));
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis(5000).build();
            assertThatThrownBy(() -> {
                try (Jedis jedis = new Jedis(plaintext, config)) {
                    jedis.ping();
                }
            }).isInstanceOf(JedisConnectionException.class);
        }

        @Test
        void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
            try (TlsRedisServer untrusted = TlsRedisServer.start(TestCertificates.untrusted())) {
                assertThatThrownBy(() -> ping(untrusted.url(), TestCertificates.sslContext()))
                        .isInstanceOf(JedisConnectionException.class)
                        .hasCauseInstanceOf(SSLHandshakeException.class)
                        .hasRootCauseInstanceOf(CertPathBuilderException.class);
            }
        }

        @Test
        void aCertificateForAnotherHostFailsTheHandshake() throws Exception {
            try (TlsRedisServer wrongHost = TlsRedisServer.start(TestCertificates.wrongHost())) {
                assertThatThrownBy(() -> ping(wrongHost.url(), TestCertificates.sslContext()))
                        .isInstanceOf(JedisConnectionException.class)
                        .hasCauseInstanceOf(SSLHandshakeException.class)
                        .hasRootCauseMessage("No subject alternative DNS name matching localhost found.");
            }
        }

        /** Connects (Jedis does in its constructor) and sends PING. */
        private String ping(String url, SSLContext trust) {
            try (Jedis jedis = jedis(url, trust)) {
                return jedis.ping();
            }
        }

        /** Jedis as the URL says (rediss: TLS, user, password, db), trusting {@code trust}, checking host names. */
        private Jedis jedis(String url, SSLContext trust) {
            SSLParameters verifyHost = new SSLParameters();
            verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
            return new Jedis(URI.create(url), DefaultJedisClientConfig.builder().timeoutMillis(5000)
                    .sslSocketFactory(trust.getSocketFactory()).sslParameters(verifyHost).build());
        }
    }

    @Nested
    class RabbitMq {

        @Test
        void acceptsTheUserOverTlsWithTheTestCaTrustedAndTheHostNameVerified() throws Exception {
            try (Connection connection = factory(TlsRabbitMq.url(), TestCertificates.sslContext()).newConnection();
                    Channel channel = connection.createChannel()) {
                String queue = channel.queueDeclare().getQueue();
                channel.basicPublish("", queue, null, "over TLS".getBytes(StandardCharsets.UTF_8));
                GetResponse got = channel.basicGet(queue, true);
                for (int i = 0; got == null && i < 50; i++) {
                    Thread.sleep(100);   // publishing is asynchronous
                    got = channel.basicGet(queue, true);
                }
                assertThat(got).isNotNull();
                assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("over TLS");
            }
        }

        @Test
        void refusesAWrongPassword() throws Exception {
            ConnectionFactory factory = factory(TlsRabbitMq.url(), TestCertificates.sslContext());
            factory.setPassword("wrong-password");
            assertThatThrownBy(factory::newConnection).isInstanceOf(AuthenticationFailureException.class)
                    .hasMessageStartingWith("ACCESS_REFUSED");
        }

        @Test
        void aClientTrustingAnotherCaFailsTheHandshake() throws Exception {
            ConnectionFactory factory = factory(TlsRabbitMq.url(),
                    TestCertificates.sslContextTrusting(TestCertificates.untrustedCaFile()));
            assertThatThrownBy(factory::newConnection).isInstanceOf(SSLHandshakeException.class);
        }

        @Test
        void refusesPlainAmqp() throws Exception {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(TlsRabbitMq.url().replace("amqps:", "amqp:"));   // same port, no TLS
            factory.setConnectionTimeout(5000);
            factory.setHandshakeTimeout(5000);
            assertThatThrownBy(factory::newConnection).isInstanceOf(IOException.class);
        }

        /**
         * The URL's host, port, user, password and vhost, over TLS trusting {@code trust}, host name verified.
         * The context must be given: an amqps URI alone switches on TLS that trusts every certificate
         * (setUri calls useSslProtocol() when no context was set).
         */
        private ConnectionFactory factory(String url, SSLContext trust) throws Exception {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(url);
            factory.useSslProtocol(trust);
            factory.enableHostnameVerification();
            factory.setConnectionTimeout(5000);
            factory.setHandshakeTimeout(5000);
            return factory;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Smtp {

        TlsSmtpServer starttls;
        TlsSmtpServer plain;
        TlsSmtpServer implicitTls;

        /** Started before the first test rather than in @BeforeAll, so that Surefire reports each skip's reason. */
        @BeforeEach
        void start() throws Exception {
            if (implicitTls == null) {
                starttls = TlsSmtpServer.start(Security.STARTTLS);
                plain = TlsSmtpServer.start(Security.NONE);
                implicitTls = TlsSmtpServer.start(Security.TLS);
            }
        }

        @AfterAll
        void stop() {
            for (TlsSmtpServer server : new TlsSmtpServer[] {starttls, plain, implicitTls}) {
                if (server != null) {
                    server.close();
                }
            }
        }

        @Test
        void deliversAfterStarttlsAndAuth() throws Exception {
            int before = starttls.messages().size();
            Transport.send(message(session(starttls, Security.STARTTLS), "ada@example.edu", "Seat 1"),
                    TlsSmtpServer.USERNAME, starttls.password());

            List<TlsSmtpServer.Message> messages = starttls.messages();
            assertThat(messages).hasSize(before + 1);
            TlsSmtpServer.Message arrived = messages.get(before);
            assertThat(arrived.from()).isEqualTo("notifications@localhost");
            assertThat(arrived.to()).containsExactly("ada@example.edu");
            assertThat(arrived.subject()).isEqualTo("Seat 1");
            assertThat(arrived.body()).isEqualTo("You are enrolled.");
            assertThat(arrived.login()).isEqualTo(TlsSmtpServer.USERNAME);
            assertThat(arrived.tls()).isTrue();
            assertThat(arrived.raw()).contains("Subject: Seat 1");
        }

        @Test
        void refusesMailBeforeStarttls() throws Exception {
            int before = starttls.messages().size();
            assertThatThrownBy(() -> Transport.send(message(session(starttls, Security.NONE), "ada@example.edu",
                    "never"), TlsSmtpServer.USERNAME, starttls.password()))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("530 Must issue a STARTTLS command first");
            assertThat(starttls.messages()).hasSize(before);
        }

        @Test
        void refusesAWrongPassword() throws Exception {
            assertThatThrownBy(() -> Transport.send(message(session(starttls, Security.STARTTLS), "ada@example.edu",
                    "never"), TlsSmtpServer.USERNAME, "wrong-password"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535 5.7.8 Authentication credentials invalid");
        }

        @Test
        void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
            try (TlsSmtpServer untrusted = TlsSmtpServer.start(Security.STARTTLS, TestCertificates.untrusted())) {
                assertThatThrownBy(() -> Transport.send(message(session(untrusted, Security.STARTTLS),
                        "ada@example.edu", "never"), TlsSmtpServer.USERNAME, untrusted.password()))
                        .isInstanceOf(MessagingException.class)
                        .hasMessageContaining("Could not convert socket to TLS")
                        .hasCauseInstanceOf(SSLHandshakeException.class);
                assertThat(untrusted.messages()).isEmpty();
            }
        }

        @Test
        void aClientRequiringStarttlsRefusesAServerWithout() {
            assertThatThrownBy(() -> Transport.send(message(session(plain, Security.STARTTLS), "ada@example.edu",
                    "never"), TlsSmtpServer.USERNAME, plain.password()))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
            assertThat(plain.messages()).isEmpty();
        }

        @Test
        void theServerWithoutStarttlsTakesAuthenticatedPlainMail() throws Exception {
            Transport.send(message(session(plain, Security.NONE), "grace@example.edu", "Plain"),
                    TlsSmtpServer.USERNAME, plain.password());
            assertThat(plain.messages()).singleElement().satisfies(arrived -> {
                assertThat(arrived.to()).containsExactly("grace@example.edu");
                assertThat(arrived.tls()).isFalse();
                assertThat(arrived.login()).isEqualTo(TlsSmtpServer.USERNAME);
            });
        }

        @Test
        void deliversOverImplicitTls() throws Exception {
            Transport.send(message(session(implicitTls, Security.TLS), "ada@example.edu", "Implicit"),
                    TlsSmtpServer.USERNAME, implicitTls.password());
            assertThat(implicitTls.messages()).singleElement().satisfies(arrived -> {
                assertThat(arrived.subject()).isEqualTo("Implicit");
                assertThat(arrived.tls()).isTrue();
                assertThat(arrived.login()).isEqualTo(TlsSmtpServer.USERNAME);
            });
        }

        /**
         * A Jakarta Mail session for {@code server}, using {@code security}: TLS trusts the test CA only (an
         * SSLSocketFactory, not mail.smtp.ssl.trust, which would trust whatever the host presents) and checks the
         * host name.
         */
        private Session session(TlsSmtpServer server, Security security) {
            Properties properties = new Properties();
            properties.put("mail.smtp.host", server.host());
            properties.put("mail.smtp.port", Integer.toString(server.port()));
            properties.put("mail.smtp.auth", "true");
            properties.put("mail.smtp.connectiontimeout", "5000");
            properties.put("mail.smtp.timeout", "5000");
            properties.put("mail.smtp.starttls.enable", Boolean.toString(security == Security.STARTTLS));
            properties.put("mail.smtp.starttls.required", Boolean.toString(security == Security.STARTTLS));
            properties.put("mail.smtp.ssl.enable", Boolean.toString(security == Security.TLS));
            properties.put("mail.smtp.ssl.socketFactory", TestCertificates.sslContext().getSocketFactory());
            properties.put("mail.smtp.ssl.checkserveridentity", "true");
            return Session.getInstance(properties);
        }

        private MimeMessage message(Session session, String to, String subject) throws MessagingException {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("notifications@localhost"));
            message.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
            message.setSubject(subject);
            message.setText("You are enrolled.");
            return message;
        }
    }
}
