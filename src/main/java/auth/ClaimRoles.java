package auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The roles an identity provider's token gives (API.md "Authentication and roles"): the values of one claim, found
 * by name or by a dotted path into nested objects ({@code realm_access.roles}, Keycloak), written as a JSON array
 * (Entra ID's {@code roles}) or as one space-separated string (as {@code scope} is, RFC 8693 section 4.2), then
 * mapped to this service's roles ({@code OIDC_ROLE_MAP}). Values the map does not name are ignored; without a map
 * a value that is a role name is that role.
 */
final class ClaimRoles {

    private static final Set<String> ROLE_NAMES = Set.copyOf(Arrays.stream(Role.values()).map(Role::name).toList());

    private final String path;
    private final Map<String, List<String>> map;

    /**
     * @param path the claim's name or dotted path (OIDC_ROLES_CLAIM)
     * @param map claim value → role names (OIDC_ROLE_MAP); empty for the values themselves
     * @throws IllegalArgumentException when the map names something that is not a role
     */
    ClaimRoles(String path, Map<String, List<String>> map) {
        map.values().stream().flatMap(List::stream).filter(role -> !ROLE_NAMES.contains(role)).findFirst()
                .ifPresent(role -> {
                    throw new IllegalArgumentException("OIDC_ROLE_MAP names '" + role + "', which is not one of "
                            + Arrays.toString(Role.values()));
                });
        this.path = path;
        this.map = map;
    }

    /**
     * @param claims a verified token's claims
     * @return the role names the token gives, possibly none
     */
    Set<String> of(JWTClaimsSet claims) {
        Set<String> roles = new LinkedHashSet<>();
        values(claims).forEach(value -> {
            if (map.isEmpty()) {
                if (ROLE_NAMES.contains(value)) {
                    roles.add(value);
                }
            } else {
                roles.addAll(map.getOrDefault(value, List.of()));
            }
        });
        return Set.copyOf(roles);
    }

    private Stream<String> values(JWTClaimsSet claims) {
        // a claim whose own name has dots (such as a URI) is found by its name first
        Object node = claims.getClaim(path);
        if (node == null) {
            node = claims.getClaims();
            for (String step : path.split("\\.")) {
                node = node instanceof Map<?, ?> object ? object.get(step) : null;
            }
        }
        if (node instanceof String text) {
            return Arrays.stream(text.trim().split("\\s+")).filter(value -> !value.isEmpty());
        }
        if (node instanceof Collection<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast);
        }
        return Stream.empty();
    }
}
