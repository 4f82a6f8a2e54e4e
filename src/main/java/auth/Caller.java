package auth;

import java.util.Set;

/** Who sent the request, as the access token says. */
public record Caller(long id, String name, Set<String> roles) {

    public boolean has(Role role) {
        return roles.contains(role.name());
    }
}
