package auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import text.Names;

/**
 * A validated account request: the body of {@code POST /registrar/users}, and of {@code POST /auth/register}
 * (which always gets the Student role).
 */
public record NewUser(String username, String password, String name, List<String> roles) {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    private static final List<String> ROLE_NAMES = Arrays.stream(Role.values()).map(Role::name).toList();

    public NewUser {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "username must be 3 to 64 characters: letters, digits, '.', '_', '@' or '-'");
        }
        if (password == null || password.length() < 8 || password.length() > 128) {
            throw new IllegalArgumentException("password must be 8 to 128 characters");
        }
        name = Names.require("name", name, 200);
        if (roles == null || roles.isEmpty() || !ROLE_NAMES.containsAll(roles)) {
            throw new IllegalArgumentException("roles must be a non-empty subset of " + ROLE_NAMES);
        }
        roles = List.copyOf(new LinkedHashSet<>(roles));
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
