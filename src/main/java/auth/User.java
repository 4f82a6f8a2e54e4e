package auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A user account as answered by the API (never with its password hash).
 *
 * @param roles the roles the account was given (by the registrar, or the identity provider's token at the first
 *        sign-in); a user of the identity provider acts with the roles of the token of each request
 * @param subject the identity provider's {@code sub} the user is linked to; null (left out) for a local account
 */
public record User(long id, String username, String name, List<String> roles,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String subject) {

    static User from(Map<String, AttributeValue> item) {
        AttributeValue roles = item.get("roles");
        AttributeValue subject = item.get("subject");
        return new User(Long.parseLong(item.get("id").n()), item.get("username").s(), item.get("name").s(),
                roles == null ? List.of() : roles.ss().stream().sorted().toList(),
                subject == null ? null : subject.s());
    }

    public boolean has(Role role) {
        return roles.contains(role.name());
    }
}
