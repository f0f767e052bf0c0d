/**
 * The classic dialects' wire formats (channels and envelope) as pure functions: {@link org.sigbridge.web.classic.frames.FrameParser} turns a
 * client's text frame into a {@link org.sigbridge.web.classic.frames.ClientFrame}, {@link org.sigbridge.web.classic.frames.ServerFrames}
 * writes what the bridge sends back. No I/O and no state, so every quirk of docs/dialects.md §2 and the envelope
 * form is unit-tested here.
 */
package org.sigbridge.web.classic.frames;
