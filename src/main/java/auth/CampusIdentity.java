package auth;

import java.util.Set;

/**
 * Who a verified token of the campus identity provider names, as its claims say.
 *
 * @param subject the token's {@code sub}: with the issuer, the identity the service links a user to
 * @param username {@code preferred_username} when it is a valid username, else {@code sub} when that is one, else
 *        null (the new user then gets {@code user-<id>})
 * @param name the display name ({@code OIDC_NAME_CLAIM}); the username, or else the subject, when the token has no
 *        usable one
 * @param roles the role names the token gives (read on every request, never stored as the caller's)
 * @param expiresAtMillis the token's {@code exp}, epoch milliseconds
 */
public record CampusIdentity(String subject, String username, String name, Set<String> roles, long expiresAtMillis) {
}
