package dev.streams.transport.ws.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;

/**
 * Moves a broker subscription's events onto a channel, pulling only while the channel is writable and the
 * server's {@link OutboundBudget} has room: at most {@link #WINDOW} events are requested ahead. When the client
 * stops reading, Netty's write buffer passes its high-water mark (or all clients together spend the budget), we
 * stop requesting, and events wait in the subscription's bounded queue where its overflow policy applies. The
 * event loop never blocks and other clients never wait.
 */
public final class SubscriptionSink implements SubscriptionListener {
    static final int WINDOW = 64;

    private final Session session;
    private final FrameEncoding encoding;
    private Subscription subscription;
    private int outstanding;
    /**
     * Gaps not yet told: reported before the session announced the subscription (its replay ran elsewhere), or
     * while the session may not pull (its client is not reading, or the server's budget is spent). Those of one
     * topic, cause and epoch add up, so a client that stopped reading holds one gap per topic, not one per drop.
     */
    private java.util.List<Gap> held;
    private boolean announced;
    /**
     * What the dialect calls this subscription on the wire (the native protocol's {@code s1}), or null. Kept
     * here, where the object has a free slot, so that a connection keeps no name-to-subscription map of its own.
     */
    private String name;
    /** Of one topic, no wildcard: while it is its session's only subscription, its frames share the topic's lane. */
    private final boolean oneTopic;

    SubscriptionSink(Session session, FrameEncoding encoding, boolean oneTopic) {
        this.session = session;
        this.encoding = encoding;
        this.oneTopic = oneTopic;
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
        refill();
    }

    public Subscription subscription() {
        return subscription;
    }

    /** The subscription's name on the wire, or null when its dialect gives it none. */
    public String name() {
        return name;
    }

    /** Names the subscription on the wire. Event loop only. */
    public void name(String name) {
        this.name = name;
    }

    /** Tops demand up to the window while the channel can take more, after any gap held. Event loop only. */
    void refill() {
        if (held != null && announced && session.mayPull()) {
            tellHeld();
        }
        if (subscription != null && outstanding < WINDOW / 2 && session.mayPull()) {
            subscription.request(WINDOW - outstanding);
            outstanding = WINDOW;
        }
    }

    void cancel() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    @Override
    public void onEvent(Event event) {
        outstanding--;
        if (held != null && announced) {
            tellHeld(); // an event asked for earlier follows the hole
        }
        if (!session.isClosing()) {
            session.sendEvent(event, encoding, oneTopic);
        }
        refill();
    }

    /** The session has told the client about the subscription: held gaps go out now (or once it may pull). */
    void announced() {
        announced = true;
        if (held != null && session.mayPull()) {
            tellHeld();
        }
    }

    private void tellHeld() {
        java.util.List<Gap> gaps = held;
        held = null;
        gaps.forEach(session::tellGap);
    }

    @Override
    public void onGap(Gap gap) {
        session.countGap(gap);
        if (announced && held == null && session.mayPull()) {
            session.tellGap(gap);
            return;
        }
        if (held == null) {
            held = new java.util.ArrayList<>(1);
        }
        for (int i = 0; i < held.size(); i++) {
            if (held.get(i).addsUpWith(gap)) {
                held.set(i, held.get(i).plus(gap));
                return;
            }
        }
        held.add(gap);
    }

    @Override
    public void onClose(CloseReason reason) {
        if (held != null && announced) {
            tellHeld(); // the holes come before the end, as they would have
        }
        session.subscriptionClosed(reason);
    }
}
