package auth;

import problem.ProblemException;

/**
 * Whether the service keeps accounts of its own (LOCAL_ACCOUNTS, API.md "Authentication and roles"). Switched off
 * where everyone signs in through the campus identity provider: no self-registration, and only the bootstrap
 * registrar (ADMIN_USERNAME) logs in with a password, the operator's way in while the provider is down.
 */
public final class LocalAccounts {

    private final boolean enabled;
    private final String bootstrapRegistrar;

    /**
     * @param enabled LOCAL_ACCOUNTS
     * @param bootstrapRegistrar ADMIN_USERNAME
     */
    public LocalAccounts(boolean enabled, String bootstrapRegistrar) {
        this.enabled = enabled;
        this.bootstrapRegistrar = bootstrapRegistrar;
    }

    /** @throws ProblemException {@code 404 not-found} when self-registration is off */
    public void requireRegistration() {
        if (!enabled) {
            throw ProblemException.notFound("not-found", "self-registration is off: sign in through the campus "
                    + "identity provider");
        }
    }

    /**
     * @param credentials the log-in's body
     * @throws ProblemException {@code 401 bad-credentials}, as for a wrong password, when local accounts are off and
     *         the username is not the bootstrap registrar's
     */
    public void requireLogin(Credentials credentials) {
        if (!enabled && !bootstrapRegistrar.equals(credentials.username())) {
            throw Credentials.refused();
        }
    }
}
