package auth;

/** The three roles of docs/api.md; their names are the values of the token's {@code roles} claim. */
public enum Role {
    Student, Instructor, Registrar
}
