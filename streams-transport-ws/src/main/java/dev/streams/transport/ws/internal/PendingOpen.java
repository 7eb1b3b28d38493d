package dev.streams.transport.ws.internal;

import dev.streams.core.StartPosition;
import dev.streams.core.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a stream's opening request (a WebSocket's 101, an event stream's response head), held while the
 * stream's subscription is made. A dialect that subscribes from the request alone (a Golioth stream URL) gives
 * its client no other sign that the stream is live, so the answer waits for the subscription: what is published
 * once the client sees the stream open reaches it, even when the subscription first waited for a replay thread.
 * What the session does meanwhile that its client must see (a failure and the close after it, a gap) follows the
 * answer, in order. Event loop only.
 *
 * <p>Only a start that depends on when the subscription is made needs the wait: one that starts "from now"
 * ({@link StartPosition#latest()}, or the last few events) for some topic it takes. A stream that resumes its one
 * topic from a cursor, or every topic from a time, loses nothing published after an early answer (it is after
 * the cursor, or the time), so it is answered at once ({@link #startsWhereAsked}), as a storm of reconnecting
 * clients is, whatever the replay threads' queue.
 */
final class PendingOpen {
    private Runnable answer;
    private List<Runnable> afterAnswer;

    /** @param answer writes the answer; the session opens once it is written */
    PendingOpen(Runnable answer) {
        this.answer = answer;
    }

    /** Sends the answer, once: the subscription is live, or something waits to be told after the answer. */
    void answer() {
        Runnable now = answer;
        answer = null;
        if (now != null) {
            now.run();
        }
    }

    /** Runs {@code step} once the answer is out and the session open. */
    void afterAnswer(Runnable step) {
        if (afterAnswer == null) {
            afterAnswer = new ArrayList<>(2);
        }
        afterAnswer.add(step);
    }

    /**
     * Whether every topic {@code pattern} takes starts where the request said, whenever the subscription is made:
     * after a cursor (an exact topic with its position), or from a time (for the topics without a cursor).
     */
    static boolean startsWhereAsked(String pattern, StartPosition start) {
        if (start instanceof StartPosition.Resume resume) {
            boolean cursor = !Topics.hasWildcard(pattern) && resume.positionOf(pattern) != null;
            return cursor || resume.others() instanceof StartPosition.Since;
        }
        return start instanceof StartPosition.Since;
    }

    /** The session opened: what waited for the answer happens now. */
    void opened() {
        if (afterAnswer != null) {
            afterAnswer.forEach(Runnable::run);
        }
    }
}
