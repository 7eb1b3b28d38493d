package dev.streams.protocol;

/**
 * The names of the native protocol (docs/PROTOCOL.md), in one place for the server and the Java client: the
 * WebSocket path, the frame types and the field names. A frame is one JSON object with a {@link #TYPE}.
 */
public final class NativeProtocol {
    /** The WebSocket path of the native protocol. */
    public static final String PATH = "/v1/ws/native";

    // Frame types.
    /** Server: the connection is authenticated; names the project. */
    public static final String WELCOME = "welcome";
    /** Client: subscribe to a topic or pattern. */
    public static final String SUBSCRIBE = "subscribe";
    /** Client: end a subscription. */
    public static final String UNSUBSCRIBE = "unsubscribe";
    /** Client: publish one event. */
    public static final String PUBLISH = "publish";
    /** Client: replace the credential in-band. */
    public static final String AUTH = "auth";
    /** Server: one event. */
    public static final String EVENT = "event";
    /** Server: events of a topic were missed. */
    public static final String GAP = "gap";
    /** Server: the credential expires soon. */
    public static final String EXPIRING = "expiring";
    /** Server: a request succeeded. */
    public static final String ACK = "ack";
    /** Server: a request or the connection failed. */
    public static final String ERROR = "error";

    // Field names.
    /** The frame's type. */
    public static final String TYPE = "type";
    /** A request's id, echoed by its ack or error. */
    public static final String ID = "id";
    /** A topic or pattern. */
    public static final String TOPIC = "topic";
    /** A resume point, {@code <epoch>-<offset>} ({@link Cursor}). */
    public static final String CURSOR = "cursor";
    /** An event's server time, RFC 3339. */
    public static final String TIME = "time";
    /** An event's content type. */
    public static final String CONTENT_TYPE = "contentType";
    /** JSON payload. */
    public static final String DATA = "data";
    /** Text payload. */
    public static final String TEXT = "text";
    /** Per-topic resume cursors of a subscribe. */
    public static final String RESUME = "resume";
    /** Replay start time of a subscribe, RFC 3339. */
    public static final String SINCE = "since";
    /** Replay count of a subscribe. */
    public static final String LAST = "last";
    /** A subscription's name. */
    public static final String SUB = "sub";
    /** A credential. */
    public static final String TOKEN = "token";
    /** An error's code (a failure name). */
    public static final String CODE = "code";
    /** An error's message. */
    public static final String MESSAGE = "message";
    /** A gap's epoch. */
    public static final String EPOCH = "epoch";
    /** A gap's count of missed events (-1: unknown). */
    public static final String MISSED = "missed";
    /** A gap's cause. */
    public static final String CAUSE = "cause";
    /** When a credential expires. */
    public static final String EXPIRES_AT = "expiresAt";
    /** When an expiring credential expires. */
    public static final String AT = "at";
    /** The project of a welcome. */
    public static final String PROJECT = "project";
    /**
     * A publish's idempotency key: a repeat within the server's window is acknowledged with the first publish's
     * cursor and stored once. On HTTP the same key is the {@value #IDEMPOTENCY_KEY_HEADER} header.
     */
    public static final String KEY = "key";
    /** The HTTP request header carrying a publish's idempotency key (m3o Publish, device ingest). */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    /** The HTTP response header carrying the stored event's cursor (the first publish's, for a repeat). */
    public static final String CURSOR_HEADER = "Streams-Cursor";

    private NativeProtocol() {
    }
}
