package dev.streams.transport.ws.internal;

/**
 * A request the server cannot act on, as a dialect's reader found it; its message goes to the client as is and
 * it is {@link Failure#BAD_REQUEST}. Without a stack trace: it is an answer, not a fault.
 */
public class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInput(String message) {
        super(message, null, false, false);
    }
}
