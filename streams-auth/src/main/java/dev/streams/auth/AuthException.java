package dev.streams.auth;

/** A request was refused; {@link #failure()} is the typed reason. Messages never contain secrets. */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final AuthFailure failure;

    /** A refusal for {@code failure}, with a message fit for the client (it never holds a secret). */
    public AuthException(AuthFailure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    /** Why the request was refused. */
    public AuthFailure failure() {
        return failure;
    }
}
