package org.sigbridge.web.classic.frames;

import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.identity.Identity;

/** The frame a socket receives when its token is accepted. Pure. */
public final class IdentityFrames {

    private IdentityFrames() {
    }

    /** {@code {"identity":{"sender":…,"channels":"<glob or *>","expiresAt":"<ISO-8601>"}}}. */
    public static String accepted(Identity identity) {
        return "{\"identity\":{\"sender\":" + JsonValue.string(identity.sender()).json()
                + ",\"channels\":" + JsonValue.string(identity.scope()).json()
                + ",\"expiresAt\":" + JsonValue.string(identity.expiresAt().toString()).json() + "}}";
    }
}
