package auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import text.Names;

/**
 * A validated account request: the body of {@code POST /registrar/users}, and of {@code POST /auth/register}
 * (which always gets the Student role). An account has a password, or a {@code subject} instead: the user of the
 * campus identity provider with that {@code sub}, created before their first sign-in (API.md "Authentication and
 * roles"), who signs in there and never with a password here.
 *
 * @param subject the identity provider's {@code sub} (1 to 255 printable ASCII characters, OpenID Connect Core
 *        section 2), or null for an account with a password
 */
public record NewUser(String username, String password, String name, List<String> roles, String subject) {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    private static final Pattern SUBJECT = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final List<String> ROLE_NAMES = Arrays.stream(Role.values()).map(Role::name).toList();

    public NewUser {
        if (!isUsername(username)) {
            throw new IllegalArgumentException(
                    "username must be 3 to 64 characters: letters, digits, '.', '_', '@' or '-'");
        }
        if (subject == null && (password == null || password.length() < 8 || password.length() > 128)) {
            throw new IllegalArgumentException("password must be 8 to 128 characters");
        }
        if (subject != null && !SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("subject must be the identity provider's sub: 1 to 255 printable "
                    + "ASCII characters without spaces");
        }
        if (subject != null && password != null) {
            throw new IllegalArgumentException("a user of the identity provider (subject) signs in there: no password");
        }
        name = Names.require("name", name, 200);
        if (roles == null || roles.isEmpty() || !ROLE_NAMES.containsAll(roles)) {
            throw new IllegalArgumentException("roles must be a non-empty subset of " + ROLE_NAMES);
        }
        roles = List.copyOf(new LinkedHashSet<>(roles));
    }

    /** An account with a password. */
    public NewUser(String username, String password, String name, List<String> roles) {
        this(username, password, name, roles, null);
    }

    /** Whether the text may be a username: 3 to 64 letters, digits, '.', '_', '@' or '-'. */
    static boolean isUsername(String text) {
        return text != null && USERNAME.matcher(text).matches();
    }

    /** The body of {@code POST /auth/register}: no roles field, the account is a Student. */
    public record Registration(String username, String password, String name) {

        public Registration {
            asStudent(username, password, name);
        }

        public NewUser asStudent() {
            return asStudent(username, password, name);
        }

        private static NewUser asStudent(String username, String password, String name) {
            return new NewUser(username, password, name, List.of(Role.Student.name()));
        }
    }
}
