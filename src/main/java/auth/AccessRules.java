package auth;

import java.util.List;
import java.util.Optional;

/**
 * The path-to-role table of docs/api.md: the one place that says who may call what. The first matching prefix wins;
 * a path that matches no rule needs no token. It covers the REST paths and the management server's
 * {@code /observe/jolokia} (JMX over HTTP, docs/api.md "Operations"), whose routes are Vert.x's, not Camel's.
 */
public final class AccessRules {

    private record Rule(String prefix, Role role) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("/student/", Role.Student),
            new Rule("/instructor/", Role.Instructor),
            new Rule("/registrar/", Role.Registrar),
            new Rule("/observe/jolokia", Role.Registrar));

    private AccessRules() {
    }

    /**
     * The role a path needs, or empty for the public paths ({@code /auth/*}, {@code /observe/*} but Jolokia,
     * {@code /openapi.json}, {@code /docs}).
     */
    public static Optional<Role> requiredRole(String path) {
        return RULES.stream().filter(rule -> path.startsWith(rule.prefix())).map(Rule::role).findFirst();
    }
}
