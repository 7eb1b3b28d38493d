/**
 * The demo server ({@link dev.streams.examples.DemoServer}) with simulated devices and a live dashboard, and an
 * embedding example ({@link dev.streams.examples.GatewayExample}).
 */
package dev.streams.examples;
