/**
 * A browser client for the Streams native protocol (docs/PROTOCOL.md): one WebSocket, many subscriptions,
 * reconnect with backoff and jitter, every topic resumed from its last cursor, the token refreshed before it
 * expires, gaps and refusals surfaced as events, optional several-messages-per-frame (`batch`), and
 * Server-Sent Events where WebSocket is not available. No runtime dependencies.
 */

/** One delivered event. */
export interface StreamEvent {
  topic: string;
  /** `<epoch>-<offset>`: where this topic resumes after this event. */
  cursor: string;
  /** Server time, RFC 3339. */
  time: string;
  contentType?: string;
  /** The payload, parsed, when it is JSON. */
  data?: unknown;
  /** The payload when it is text. */
  text?: string;
  /** Attributes, e.g. `deviceId`. */
  [attribute: string]: unknown;
}

/** Events of a topic went missing (history expired, the topic started over, the client fell behind). */
export interface StreamGap {
  topic: string;
  epoch: string;
  /** How many, or -1 when unknown. */
  missed: number;
  cause: string;
}

/** What a subscription reports. */
export interface SubscriptionHandlers {
  onEvent(event: StreamEvent): void;
  onGap?(gap: StreamGap): void;
  /** The server refused the subscription (FORBIDDEN, INVALID_TOPIC, ...); it stays inactive. */
  onRefused?(code: string, message: string): void;
  /**
   * The subscription is live on the server: everything published from now on reaches it (after what it
   * replays). Called again after each reconnection, once it is resubscribed from its cursors.
   */
  onLive?(): void;
}

/** The connection's state. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

export interface ClientOptions {
  /** The server, e.g. `https://streams.example` or `ws://127.0.0.1:8080`. */
  url: string;
  /** A credential for the connection: called on every (re)connection and before the current one expires. */
  token: () => string | Promise<string>;
  /** Ask for several messages per frame (`?batch=true`). */
  batch?: boolean;
  /** `websocket` (default where available) or `sse` (Server-Sent Events, one stream per subscription). */
  transport?: "websocket" | "sse";
  /** First reconnect delay in ms (default 250); doubles up to `maxBackoffMs` (default 10,000), with full jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onStateChange?(state: ConnectionState): void;
  /** Errors not tied to a subscription (a refused credential, a failed refresh). */
  onError?(code: string, message: string): void;
}

/** Where a subscription starts, for an application that already holds some of the stream (from history, say). */
export interface StartFrom {
  /** The last cursor it holds, per topic: each resumes right after it. */
  resume?: Record<string, string>;
  /** For topics not in {@link resume}: events from this time on (RFC 3339, server time). */
  since?: string;
}

/** A live subscription. */
export interface Subscription {
  readonly pattern: string;
  unsubscribe(): void;
}

interface SubscriptionState {
  id: number;
  pattern: string;
  handlers: SubscriptionHandlers;
  /** The server's name for it on the current connection. */
  sub?: string;
  /** Last cursor per topic, to resume from. */
  cursors: Map<string, string>;
  /** Server time of the newest event seen, or when it went live: `since` for topics not yet seen. */
  since?: string;
  active: boolean;
  source?: EventSource;
}

/** Closes that mean the credential is no good: reconnect only with a fresh one. */
const UNAUTHENTICATED_CLOSE = 4401;

/** The Streams native-protocol client. */
export class StreamsClient {
  private readonly options: Required<Pick<ClientOptions, "backoffMs" | "maxBackoffMs">> & ClientOptions;
  private socket?: WebSocket;
  private state: ConnectionState = "closed";
  private readonly subscriptions = new Map<number, SubscriptionState>();
  private readonly pending = new Map<string, SubscriptionState>();
  private nextId = 1;
  private attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private closedByUser = false;

  constructor(options: ClientOptions) {
    this.options = { backoffMs: 250, maxBackoffMs: 10_000, ...options };
  }

  /** Connects (and keeps reconnecting until {@link close}). */
  connect(): void {
    this.closedByUser = false;
    if (this.useSse()) {
      this.setState("connected");
      this.subscriptions.forEach((s) => this.openSse(s));
      return;
    }
    void this.open();
  }

  /** The connection's state now. */
  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Subscribes to a topic or pattern, live or from {@code start}; resumes across reconnections. */
  subscribe(pattern: string, handlers: SubscriptionHandlers, start?: StartFrom): Subscription {
    const s: SubscriptionState = { id: this.nextId++, pattern, handlers,
      cursors: new Map(Object.entries(start?.resume ?? {})), since: start?.since, active: true };
    this.subscriptions.set(s.id, s);
    if (this.useSse()) {
      if (this.state === "connected") {
        this.openSse(s);
      }
    } else if (this.state === "connected") {
      this.sendSubscribe(s);
    }
    return {
      pattern,
      unsubscribe: () => this.unsubscribe(s),
    };
  }

  /** Closes for good. */
  close(): void {
    this.closedByUser = true;
    clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.source?.close());
    this.socket?.close(1000, "client closed");
    this.setState("closed");
  }

  private useSse(): boolean {
    return this.options.transport === "sse" || typeof WebSocket === "undefined";
  }

  private async open(): Promise<void> {
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    let token: string;
    try {
      token = await this.options.token();
    } catch (e) {
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

  private scheduleReconnect(): void {
    this.setState("reconnecting");
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** this.attempt);
    this.attempt++;
    // Full jitter: a server's clients that lost it together do not all come back in the same instant.
    this.timer = setTimeout(() => void this.open(), Math.random() * ceiling);
  }

  private onFrame(frame: Record<string, any>): void {
    switch (frame.type) {
      case "welcome":
        this.attempt = 0;
        this.setState("connected");
        this.subscriptions.forEach((s) => this.sendSubscribe(s));
        break;
      case "event":
        this.deliver(frame as StreamEvent);
        break;
      case "gap":
        this.subscriptions.forEach((s) => {
          if (s.active && matches(s.pattern, frame.topic)) {
            s.handlers.onGap?.(frame as unknown as StreamGap);
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

  private deliver(event: StreamEvent): void {
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

  private onAck(frame: Record<string, any>): void {
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

  private onError(frame: Record<string, any>): void {
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

  private async refresh(): Promise<void> {
    try {
      const token = await this.options.token();
      this.socket?.send(JSON.stringify({ type: "auth", id: "auth-" + this.nextId++, token }));
    } catch (e) {
      this.options.onError?.("TOKEN", String(e));
    }
  }

  private sendSubscribe(s: SubscriptionState): void {
    if (!s.active || this.socket === undefined) {
      return;
    }
    const id = "s" + s.id + "-" + this.nextId++;
    const request: Record<string, unknown> = { type: "subscribe", id, topic: s.pattern };
    if (s.cursors.size > 0) {
      request.resume = Object.fromEntries(s.cursors);
    }
    if (s.since !== undefined) {
      request.since = s.since;
    }
    this.pending.set(id, s);
    this.socket.send(JSON.stringify(request));
  }

  private unsubscribe(s: SubscriptionState): void {
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
  private openSse(s: SubscriptionState): void {
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
      source.addEventListener("gap", (message) =>
        s.handlers.onGap?.(JSON.parse((message as MessageEvent).data)));
      source.addEventListener("error", (message) => {
        const data = (message as MessageEvent).data;
        if (typeof data === "string") {
          const error = JSON.parse(data);
          s.handlers.onRefused?.(error.code, error.message);
          source.close();
        }
      });
    });
  }

  private setState(state: ConnectionState): void {
    if (this.state !== state) {
      this.state = state;
      this.options.onStateChange?.(state);
    }
  }
}

/** Whether a pattern (`*` one token, `>` one or more trailing tokens) matches a topic. */
export function matches(pattern: string, topic: string): boolean {
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
export function isAfter(a: string, b: string): boolean {
  const [ea, oa] = a.split("-");
  const [eb, ob] = b.split("-");
  if (ea !== eb) {
    return true;
  }
  return BigInt(oa) > BigInt(ob);
}
