package dev.streams.core.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.StreamsException;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

/** Adapts broker subscriptions with manual demand to {@link Flow.Publisher}. */
public final class FlowView implements Flow.Publisher<Event> {
    private final Function<SubscriptionListener, Subscription> subscribe;
    private final Consumer<Gap> gapHandler;

    public FlowView(Function<SubscriptionListener, Subscription> subscribe, Consumer<Gap> gapHandler) {
        this.subscribe = subscribe;
        this.gapHandler = gapHandler == null ? gap -> { } : gapHandler;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Event> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription sub;
        try {
            sub = subscribe.apply(new SubscriptionListener() {
                @Override
                public void onEvent(Event event) {
                    subscriber.onNext(event);
                }

                @Override
                public void onGap(Gap gap) {
                    gapHandler.accept(gap);
                }

                @Override
                public void onClose(CloseReason reason) {
                    if (reason == CloseReason.SLOW_CONSUMER) {
                        subscriber.onError(new StreamsException(ErrorKind.SLOW_CONSUMER,
                                "subscriber fell behind its queue bound"));
                    } else if (reason == CloseReason.BROKER_CLOSED) {
                        subscriber.onComplete();
                    } else if (reason == CloseReason.LISTENER_FAILED) {
                        subscriber.onError(new StreamsException(ErrorKind.UNAVAILABLE,
                                "delivery failed on the server; subscribe again"));
                    }
                }
            });
        } catch (RuntimeException refused) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(refused);
            return;
        }
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    sub.cancel();
                    subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                    return;
                }
                sub.request(n);
            }

            @Override
            public void cancel() {
                sub.cancel();
            }
        });
    }
}
