package auth;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A user account as answered by the API (never with its password hash). */
public record User(long id, String username, String name, List<String> roles) {

    static User from(Map<String, AttributeValue> item) {
        return new User(Long.parseLong(item.get("id").n()), item.get("username").s(), item.get("name").s(),
                item.get("roles").ss().stream().sorted().toList());
    }

    public boolean has(Role role) {
        return roles.contains(role.name());
    }
}
