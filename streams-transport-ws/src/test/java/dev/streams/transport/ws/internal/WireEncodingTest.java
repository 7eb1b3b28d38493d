package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.core.Event;
import dev.streams.transport.ws.internal.golioth.GoliothWire;
import dev.streams.transport.ws.internal.m3o.M3oWire;
import dev.streams.transport.ws.internal.nativeproto.NativeWire;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frames are built by hand on the hot path; whatever the text, they must parse back to exactly it. */
class WireEncodingTest {
    private static final String NASTY = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 "
            + "line-sep \u2028 emoji \uD83D\uDE00 </script>";

    private static Event event(String payload, String contentType) {
        return new Event("p", "devices.d1.stream", 7, 3, 1_700_000_000_000_000_001L,
                payload.getBytes(StandardCharsets.UTF_8), contentType, Map.of("deviceId", "d1", "note", NASTY));
    }

    private static JsonObject parse(byte[] frame) {
        return JsonParser.parseString(new String(frame, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void textSurvivesEveryDialect() {
        Event text = event(NASTY, "text/plain");
        assertThat(parse(text.encoded(M3oWire.MESSAGE.plain())).get("message").getAsString()).isEqualTo(NASTY);
        assertThat(parse(text.encoded(GoliothWire.FRAME.plain())).getAsJsonObject("result").getAsJsonObject("data")
                .get("data").getAsString()).isEqualTo(NASTY);
        JsonObject nativeFrame = parse(text.encoded(NativeWire.EVENT.plain()));
        assertThat(nativeFrame.get("text").getAsString()).isEqualTo(NASTY);
        assertThat(nativeFrame.get("note").getAsString()).isEqualTo(NASTY);
        assertThat(nativeFrame.get("cursor").getAsString()).isEqualTo("7-3");
        assertThat(nativeFrame.get("time").getAsString()).isEqualTo("2023-11-14T22:13:20.000000001Z");
    }

    @Test
    void jsonPayloadsAreSplicedAsJson() {
        String json = "{\"s\":" + com.google.gson.JsonParser.parseString("\"" + NASTY.replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\u0000")
                .replace("\u0007", "\\u0007") + "\"") + ",\"n\":1.5}";
        Event data = event(json, "application/json");
        assertThat(parse(data.encoded(GoliothWire.FRAME.plain())).getAsJsonObject("result").getAsJsonObject("data")
                .getAsJsonObject("data").get("s").getAsString()).isEqualTo(NASTY);
        assertThat(parse(data.encoded(NativeWire.EVENT.plain())).getAsJsonObject("data").get("n").getAsDouble()).isEqualTo(1.5);
        assertThat(parse(data.encoded(M3oWire.MESSAGE.plain())).get("message").getAsString()).isEqualTo(json);
    }
}
