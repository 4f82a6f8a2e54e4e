package api;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * The methods a path answers, read from the REST DSL definitions (the YAML under camel/), so the {@code Allow} of
 * a 405 (RFC 9110, section 10.2.1) never disagrees with the routes, also after the YAML is reloaded.
 */
public final class AllowedMethods {

    /** A path template's {parameter}: one path segment. */
    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]+}");

    private final CamelContext camel;

    /** Reads the REST definitions of {@code camel}'s model at each call, so a YAML reload is seen at once. */
    public AllowedMethods(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * The {@code Allow} value for a request path, such as {@code "DELETE, POST"}; {@code HEAD} comes with every
     * {@code GET}. Empty when no REST definition serves the path (a 404, not a 405).
     */
    public Optional<String> of(String path) {
        TreeSet<String> methods = new TreeSet<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (template(rest.getPath(), verb.getPath()).matcher(path).matches()) {
                    String method = verb.asVerb().toUpperCase(Locale.ROOT);
                    methods.add(method);
                    if (method.equals("GET")) {
                        methods.add("HEAD");
                    }
                }
            }
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
    }

    private static Pattern template(String base, String path) {
        String full = ((base == null ? "" : base) + (path == null || path.isEmpty() ? "" : "/" + path))
                .replaceAll("//+", "/");
        StringBuilder regex = new StringBuilder();
        int at = 0;
        for (var parameter = PARAMETER.matcher(full); parameter.find(); at = parameter.end()) {
            regex.append(Pattern.quote(full.substring(at, parameter.start()))).append("[^/]+");
        }
        return Pattern.compile(regex.append(Pattern.quote(full.substring(at))) + "/?");
    }
}
