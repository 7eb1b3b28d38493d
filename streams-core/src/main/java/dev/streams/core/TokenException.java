package dev.streams.core;

/** A Streams token was refused; {@link #error()} says why. */
public final class TokenException extends StreamsException {
    private static final long serialVersionUID = 1L;
    private final TokenError error;

    public TokenException(TokenError error, String message) {
        super(error.kind(), message);
        this.error = error;
    }

    public TokenError error() {
        return error;
    }
}
