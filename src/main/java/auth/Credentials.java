package auth;

import problem.ProblemException;

/** The body of {@code POST /auth/login}. */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("username and password are required");
        }
    }

    /** The one refusal of a log-in, whatever was wrong: {@code 401 bad-credentials}. */
    static ProblemException refused() {
        return new ProblemException(401, "bad-credentials", "wrong username or password");
    }
}
