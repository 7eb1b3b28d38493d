package dev.streams.auth;

import dev.streams.core.StreamsException;

/** A Streams token was refused; {@link #error()} says why. */
public final class TokenException extends StreamsException {
    private static final long serialVersionUID = 1L;
    private final TokenError error;

    /** A refusal of a token for {@code error}, with a message fit for the client. */
    public TokenException(TokenError error, String message) {
        super(error.kind(), message);
        this.error = error;
    }

    /** Why the token was refused. */
    public TokenError error() {
        return error;
    }
}
