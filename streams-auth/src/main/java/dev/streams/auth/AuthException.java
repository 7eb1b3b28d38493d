package dev.streams.auth;

/** A request was refused; {@link #failure()} is the typed reason. Messages never contain secrets. */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final AuthFailure failure;

    public AuthException(AuthFailure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public AuthFailure failure() {
        return failure;
    }
}
