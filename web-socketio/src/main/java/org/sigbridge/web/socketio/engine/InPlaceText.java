package org.sigbridge.web.socketio.engine;

/**
 * A layer above an Engine.IO session that reads a text MESSAGE's data where it lies in the frame's text, so that a
 * WebSocket frame {@code 4…} reaches it without its data being copied out first (docs/benchmarks.md, "socket.io 4",
 * round 3). The Socket.IO layer is one; a handler that is not gets {@code onText(data)} as before.
 */
public interface InPlaceText {

    /**
     * The data of one text MESSAGE: {@code text} from index {@code from} on, exactly what
     * {@code onText(text.substring(from))} would be given. Called as {@code onText} is: one at a time, under the
     * session's inbound lock.
     */
    void onText(String text, int from);
}
