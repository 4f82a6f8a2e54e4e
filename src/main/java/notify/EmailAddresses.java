package notify;

import java.util.regex.Pattern;
import problem.ProblemException;

/**
 * The rule for subscriber email addresses: one plain {@code local@domain}, nothing else. The address ends up in an
 * SMTP envelope and a {@code To:} header, so anything that could start a new header, a second recipient or a
 * display name (CR, LF, other control characters, commas, semicolons, angle brackets, spaces) is refused.
 */
public final class EmailAddresses {

    private static final int MAX_LENGTH = 254; // RFC 5321 forward-path limit minus the angle brackets

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** Local part of 1..64 characters, dot-separated atoms; a domain of two or more DNS labels. */
    private static final Pattern ADDRESS = Pattern.compile(
            "(?=[^@]{1,64}@)[A-Za-z0-9_%+'-]+(?:\\.[A-Za-z0-9_%+'-]+)*@(?:" + LABEL + "\\.)+" + LABEL);

    private EmailAddresses() {
    }

    /** Returns the trimmed address, or throws {@code 400 invalid-email}. */
    public static String check(String email) {
        // Controls are checked before trimming: trim() would otherwise silently drop a trailing CR/LF.
        if (email == null || email.chars().anyMatch(Character::isISOControl)) {
            throw invalid();
        }
        String address = email.trim();
        if (address.length() > MAX_LENGTH || !ADDRESS.matcher(address).matches()) {
            throw invalid();
        }
        return address;
    }

    private static ProblemException invalid() {
        return new ProblemException(400, "invalid-email",
                "email must be a single plain address such as name@example.com (at most 254 characters)");
    }
}
