package auth;

/** The body of {@code POST /auth/login}. */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("username and password are required");
        }
    }
}
