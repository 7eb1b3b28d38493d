package dev.streams.transport.ws;

import java.util.List;
import java.util.Map;

/**
 * A request to a host {@link HttpEndpoint}.
 *
 * @param method  upper-case HTTP method
 * @param path    the decoded path, without the query
 * @param query   query parameters
 * @param headers request headers, names in lower case (the first value of each)
 * @param body    the request body (at most the server's body limit)
 */
public record HttpCall(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                       byte[] body) {
    /** Copies what it is given: a call is a value, and an endpoint may keep it. */
    public HttpCall {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** The request body; a copy, so the call stays unchanged whatever the caller does with it. */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
