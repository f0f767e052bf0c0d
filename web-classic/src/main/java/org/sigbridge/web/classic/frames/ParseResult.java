package org.sigbridge.web.classic.frames;

import java.util.Objects;
import org.sigbridge.spi.ErrorCode;

/** What {@link FrameParser} made of a text frame: a frame, or the error frame's code and detail. */
public sealed interface ParseResult {

    record Parsed(ClientFrame frame) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * @param id the envelope id the client sent, if it could be read; else {@code null}
     */
    record Bad(ErrorCode code, String detail, String id) implements ParseResult {
        public Bad {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
