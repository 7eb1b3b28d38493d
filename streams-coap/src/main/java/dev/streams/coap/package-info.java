/**
 * Golioth's device API over CoAP and DTLS: {@link dev.streams.coap.CoapDeviceServer}. Device credentials are
 * made with {@link dev.streams.auth.StreamsAuth#devices()}.
 */
package dev.streams.coap;
