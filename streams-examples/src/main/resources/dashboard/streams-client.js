/**
 * A browser client for the Streams native protocol (docs/PROTOCOL.md): one WebSocket, many subscriptions,
 * reconnect with backoff and jitter, every topic resumed from its last cursor, the token refreshed before it
 * expires, gaps and refusals surfaced as events, optional several-messages-per-frame (`batch`), and
 * Server-Sent Events where WebSocket is not available. No runtime dependencies.
 */
/** Closes that mean the credential is no good: reconnect only with a fresh one. */
const UNAUTHENTICATED_CLOSE = 4401;
/** The Streams native-protocol client. */
export class StreamsClient {
    constructor(options) {
        this.state = "closed";
        this.subscriptions = new Map();
        this.pending = new Map();
        this.nextId = 1;
        this.attempt = 0;
        this.closedByUser = false;
        this.options = { backoffMs: 250, maxBackoffMs: 10000, ...options };
    }
    /** Connects (and keeps reconnecting until {@link close}). */
    connect() {
        this.closedByUser = false;
        if (this.useSse()) {
            this.setState("connected");
            this.subscriptions.forEach((s) => this.openSse(s));
            return;
        }
        void this.open();
    }
    /** The connection's state now. */
    get connectionState() {
        return this.state;
    }
    /** Subscribes to a topic or pattern, live or from {@code start}; resumes across reconnections. */
    subscribe(pattern, handlers, start) {
        const s = { id: this.nextId++, pattern, handlers,
            cursors: new Map(Object.entries(start?.resume ?? {})), since: start?.since, active: true };
        this.subscriptions.set(s.id, s);
        if (this.useSse()) {
            if (this.state === "connected") {
                this.openSse(s);
            }
        }
        else if (this.state === "connected") {
            this.sendSubscribe(s);
        }
        return {
            pattern,
            unsubscribe: () => this.unsubscribe(s),
        };
    }
    /** Closes for good. */
    close() {
        this.closedByUser = true;
        clearTimeout(this.timer);
        this.subscriptions.forEach((s) => s.source?.close());
        this.socket?.close(1000, "client closed");
        this.setState("closed");
    }
    useSse() {
        return this.options.transport === "sse" || typeof WebSocket === "undefined";
    }
    async open() {
        this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
        let token;
        try {
            token = await this.options.token();
        }
        catch (e) {
            this.options.onError?.("TOKEN", String(e));
            this.scheduleReconnect();
            return;
        }
        if (this.closedByUser) {
            return;
        }
        const url = new URL("/v1/ws/native", this.options.url.replace(/^http/, "ws"));
        url.searchParams.set("jwt", token);
        if (this.options.batch) {
            url.searchParams.set("batch", "true");
        }
        const socket = new WebSocket(url.toString());
        this.socket = socket;
        socket.onmessage = (message) => {
            const text = String(message.data);
            for (const line of this.options.batch ? text.split("\n") : [text]) {
                if (line.length > 0) {
                    this.onFrame(JSON.parse(line));
                }
            }
        };
        socket.onclose = (close) => {
            if (this.socket !== socket) {
                return;
            }
            this.socket = undefined;
            this.subscriptions.forEach((s) => (s.sub = undefined));
            this.pending.clear();
            if (this.closedByUser) {
                return;
            }
            if (close.code === UNAUTHENTICATED_CLOSE) {
                this.options.onError?.("UNAUTHENTICATED", close.reason);
            }
            this.scheduleReconnect();
        };
    }
    scheduleReconnect() {
        this.setState("reconnecting");
        const ceiling = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** this.attempt);
        this.attempt++;
        // Full jitter: a server's clients that lost it together do not all come back in the same instant.
        this.timer = setTimeout(() => void this.open(), Math.random() * ceiling);
    }
    onFrame(frame) {
        switch (frame.type) {
            case "welcome":
                this.attempt = 0;
                this.setState("connected");
                this.subscriptions.forEach((s) => this.sendSubscribe(s));
                break;
            case "event":
                this.deliver(frame);
                break;
            case "gap":
                this.subscriptions.forEach((s) => {
                    if (s.active && matches(s.pattern, frame.topic)) {
                        s.handlers.onGap?.(frame);
                    }
                });
                break;
            case "ack":
                this.onAck(frame);
                break;
            case "expiring":
                void this.refresh();
                break;
            case "error":
                this.onError(frame);
                break;
        }
    }
    deliver(event) {
        this.subscriptions.forEach((s) => {
            if (!s.active || !matches(s.pattern, event.topic)) {
                return;
            }
            const last = s.cursors.get(event.topic);
            if (last !== undefined && !isAfter(event.cursor, last)) {
                return; // overlapping subscriptions, or a replay the client already had
            }
            s.cursors.set(event.topic, event.cursor);
            if (s.since === undefined || event.time > s.since) {
                s.since = event.time;
            }
            s.handlers.onEvent(event);
        });
    }
    onAck(frame) {
        const s = this.pending.get(frame.id);
        if (s === undefined) {
            return;
        }
        this.pending.delete(frame.id);
        s.sub = frame.sub;
        if (s.since === undefined && typeof frame.time === "string") {
            s.since = frame.time;
        }
        s.handlers.onLive?.();
    }
    onError(frame) {
        const s = frame.id !== undefined ? this.pending.get(frame.id) : undefined;
        if (s !== undefined) {
            this.pending.delete(frame.id);
            s.active = false;
            this.subscriptions.delete(s.id);
            s.handlers.onRefused?.(frame.code, frame.message);
            return;
        }
        if (Array.isArray(frame.subs)) {
            this.subscriptions.forEach((sub) => {
                if (sub.sub !== undefined && frame.subs.includes(sub.sub)) {
                    sub.active = false;
                    this.subscriptions.delete(sub.id);
                    sub.handlers.onRefused?.(frame.code, frame.message);
                }
            });
            return;
        }
        this.options.onError?.(frame.code, frame.message);
    }
    async refresh() {
        try {
            const token = await this.options.token();
            this.socket?.send(JSON.stringify({ type: "auth", id: "auth-" + this.nextId++, token }));
        }
        catch (e) {
            this.options.onError?.("TOKEN", String(e));
        }
    }
    sendSubscribe(s) {
        if (!s.active || this.socket === undefined) {
            return;
        }
        const id = "s" + s.id + "-" + this.nextId++;
        const request = { type: "subscribe", id, topic: s.pattern };
        if (s.cursors.size > 0) {
            request.resume = Object.fromEntries(s.cursors);
        }
        if (s.since !== undefined) {
            request.since = s.since;
        }
        this.pending.set(id, s);
        this.socket.send(JSON.stringify(request));
    }
    unsubscribe(s) {
        if (!s.active) {
            return;
        }
        s.active = false;
        this.subscriptions.delete(s.id);
        s.source?.close();
        if (s.sub !== undefined && this.socket !== undefined) {
            this.socket.send(JSON.stringify({ type: "unsubscribe", id: "u" + this.nextId++, sub: s.sub }));
        }
    }
    /** Server-Sent Events: one stream per subscription; the browser resumes it with Last-Event-ID itself. */
    openSse(s) {
        void Promise.resolve(this.options.token()).then((token) => {
            if (!s.active || this.closedByUser) {
                return;
            }
            const url = new URL("/v1/sse", this.options.url.replace(/^ws/, "http"));
            url.searchParams.set("topic", s.pattern);
            url.searchParams.set("jwt", token);
            const source = new EventSource(url.toString());
            s.source = source;
            // The server sends an event stream's head once its subscription is live.
            source.onopen = () => s.handlers.onLive?.();
            source.onmessage = (message) => this.deliver(JSON.parse(message.data));
            source.addEventListener("gap", (message) => s.handlers.onGap?.(JSON.parse(message.data)));
            source.addEventListener("error", (message) => {
                const data = message.data;
                if (typeof data === "string") {
                    const error = JSON.parse(data);
                    s.handlers.onRefused?.(error.code, error.message);
                    source.close();
                }
            });
        });
    }
    setState(state) {
        if (this.state !== state) {
            this.state = state;
            this.options.onStateChange?.(state);
        }
    }
}
/** Whether a pattern (`*` one token, `>` one or more trailing tokens) matches a topic. */
export function matches(pattern, topic) {
    const p = pattern.split(".");
    const t = topic.split(".");
    for (let i = 0; i < p.length; i++) {
        if (p[i] === ">") {
            return t.length > i;
        }
        if (i >= t.length || (p[i] !== "*" && p[i] !== t[i])) {
            return false;
        }
    }
    return p.length === t.length;
}
/** Whether cursor `a` comes after `b` (a new epoch always does: the topic started over). */
export function isAfter(a, b) {
    const [ea, oa] = a.split("-");
    const [eb, ob] = b.split("-");
    if (ea !== eb) {
        return true;
    }
    return BigInt(oa) > BigInt(ob);
}
