/**
 * A real, scriptable WebSocket server for testing WebSocket clients: start it with
 * {@link dev.wsboot.test.WsTestServer#start()}, script connections with
 * {@link dev.wsboot.test.WsTestConnection}, inspect what clients sent as
 * {@link dev.wsboot.test.WsTestFrame}s.
 */
package dev.wsboot.test;
