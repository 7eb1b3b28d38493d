package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FlowViewTest {

    @Test
    void honoursRequestAndCompletesOnClose() {
        Broker broker = Broker.create();
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        AtomicReference<Boolean> completed = new AtomicReference<>(false);
        broker.publisher("p", "t", StartPosition.latest(), SubscribeOptions.defaults(), gap -> { })
                .subscribe(new Flow.Subscriber<Event>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                    }

                    @Override
                    public void onNext(Event item) {
                        received.add(item.payloadAsString());
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                        completed.set(true);
                    }
                });
        for (int i = 0; i < 5; i++) {
            broker.publish("p", "t", ("e" + i).getBytes(UTF_8));
        }
        subscription.get().request(3);
        Recorder.await(() -> received.size() == 3, "three requested");
        assertThat(received).containsExactly("e0", "e1", "e2");
        subscription.get().request(2);
        Recorder.await(() -> received.size() == 5, "the rest");
        broker.close();
        assertThat(completed.get()).isTrue();
    }

    @Test
    void slowFlowSubscriberUnderDisconnectGetsAnError() {
        try (Broker broker = Broker.create()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            SubscribeOptions tiny = SubscribeOptions.builder().maxQueuedEvents(2).overflowPolicy(OverflowPolicy.DISCONNECT)
                    .build();
            broker.publisher("p", "t", StartPosition.latest(), tiny, null).subscribe(new Flow.Subscriber<Event>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                }

                @Override
                public void onNext(Event item) {
                }

                @Override
                public void onError(Throwable throwable) {
                    error.set(throwable);
                }

                @Override
                public void onComplete() {
                }
            });
            for (int i = 0; i < 5; i++) {
                broker.publish("p", "t", new byte[1]);
            }
            Recorder.await(() -> error.get() != null, "onError");
            assertThat(error.get()).isInstanceOfSatisfying(StreamsException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.SLOW_CONSUMER));
        }
    }
}
