package notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import problem.ProblemException;

/** Subscriber email addresses: plain local@domain only, nothing that could break a mail header. */
class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "a@b.com", "student@example.edu", "first.last@mail.example.co.uk", "o'brien+tag@ex-ample.org",
            "a_b%c-d@sub.domain9.net", "UPPER@EXAMPLE.COM"})
    void acceptsPlainAddresses(String email) {
        assertThat(EmailAddresses.check(email)).isEqualTo(email);
    }

    @Test
    void trimsSurroundingSpaces() {
        assertThat(EmailAddresses.check("  a@b.com ")).isEqualTo("a@b.com");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesAnythingElse(String email) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> EmailAddresses.check(email));
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.code()).isEqualTo("invalid-email");
        assertThat(problem.getMessage()).doesNotContain("Exception").doesNotContain("\n");
    }

    static String[] refused() {
        return new String[] {
                null, "", "   ",
                "a@b.com\r\nBcc: x@y.com", "a@b.com\nX", "a@b.com\r\n", "a@b.com\u0000", "a\t@b.com", "a@b.com\u007f",
                "a@b.com,c@d.com", "a@b.com;c@d.com", "<a@b.com>", "Name <a@b.com>", "a b@c.com", "a@b .com",
                "ab.com", "a@@b.com", "a@b@c.com", "@b.com", "a@", "a@localhost",
                "a..b@c.com", ".a@b.com", "a.@b.com", "a@b..com", "a@.b.com", "a@b.com.",
                "a@-b.com", "a@b-.com", "a@b_c.com", "\"quoted\"@b.com", "a(comment)@b.com", "ä@b.com",
                "x".repeat(65) + "@b.com",
                "a".repeat(64) + "@" + domainOfLength(190) // 255 characters
        };
    }

    /** A valid domain of exactly {@code length} characters, in labels of at most 63. */
    private static String domainOfLength(int length) {
        StringBuilder domain = new StringBuilder();
        while (length - domain.length() > 64) {
            domain.append("d".repeat(62)).append('.');
        }
        domain.append("e".repeat(length - domain.length() - 4)).append(".com");
        return domain.toString();
    }

    @Test
    void twoHundredFiftyFourCharactersAreStillAccepted() {
        String email = "a".repeat(64) + "@" + domainOfLength(189);
        assertThat(email).hasSize(254);
        assertThat(EmailAddresses.check(email)).isEqualTo(email);
        assertThat("a".repeat(64) + "@" + domainOfLength(190)).hasSize(255);
    }
}
