package auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetRetrievalException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's published keys, fetched where its discovery document says: {@code jwks_uri} of
 * {@code {issuer}/.well-known/openid-configuration} (OpenID Connect Discovery 1.0, sections 4 and 4.3: the document's
 * {@code issuer} must be the configured one). The innermost source of the key source {@code IdentityProvider} builds
 * with nimbus' {@code JWKSourceBuilder}, so discovery takes part in its caching, rate limit and outage tolerance: an
 * issuer unreachable at start-up is discovered on a later request. Each failed fetch is one warning line.
 */
final class IssuerKeySet implements JWKSetSource<SecurityContext> {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeySet.class);

    private final URI issuer;
    private final ResourceRetriever retriever;
    /** Found once: a provider moves its key set's URL far more rarely than it restarts this service. */
    private volatile URLBasedJWKSetSource<SecurityContext> keys;

    /**
     * @param issuer the issuer identifier (OIDC_ISSUER)
     * @param retriever fetches a URL with bounded time-outs and size (nimbus' {@code DefaultResourceRetriever})
     */
    IssuerKeySet(URI issuer, ResourceRetriever retriever) {
        this.issuer = issuer;
        this.retriever = retriever;
    }

    /** The discovery document's address: the issuer without a trailing slash, then the well-known path. */
    static String discoveryUrl(URI issuer) {
        return issuer.toString().replaceFirst("/+$", "") + "/.well-known/openid-configuration";
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
            throws KeySourceException {
        try {
            return keys().getJWKSet(refresh, currentTime, context);
        } catch (KeySourceException e) {
            LOG.warn("the identity provider {} did not give its keys: {}; tokens signed with keys fetched before "
                    + "are still accepted", issuer, reason(e));
            throw e;
        }
    }

    private URLBasedJWKSetSource<SecurityContext> keys() throws JWKSetRetrievalException {
        URLBasedJWKSetSource<SecurityContext> found = keys;
        if (found == null) {
            found = new URLBasedJWKSetSource<>(discoverKeySetUrl(), retriever);
            keys = found;
        }
        return found;
    }

    private URL discoverKeySetUrl() throws JWKSetRetrievalException {
        String discovery = discoveryUrl(issuer);
        try {
            Map<String, Object> document = JSONObjectUtils.parse(
                    retriever.retrieveResource(URI.create(discovery).toURL()).getContent());
            String named = JSONObjectUtils.getString(document, "issuer");
            if (!issuer.toString().equals(named)) {
                throw new JWKSetRetrievalException(discovery + " names the issuer '" + named + "', not '" + issuer
                        + "' (OIDC_ISSUER must be written exactly as the provider writes it)", null);
            }
            URI keySet = JSONObjectUtils.getURI(document, "jwks_uri");
            if (keySet == null) {
                throw new JWKSetRetrievalException(discovery + " has no jwks_uri", null);
            }
            return keySet.toURL();
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new JWKSetRetrievalException(discovery + ": " + reason(e), e);
        }
    }

    /** The failure in words, with the underlying cause (connection refused, time-out) when there is one. */
    private static String reason(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    @Override
    public void close() throws IOException {
        URLBasedJWKSetSource<SecurityContext> found = keys;
        if (found != null) {
            found.close();
        }
    }
}
