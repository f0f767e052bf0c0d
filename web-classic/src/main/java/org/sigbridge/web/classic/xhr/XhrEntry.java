package org.sigbridge.web.classic.xhr;

/**
 * One message in the XHR log.
 *
 * @param id          the {@code ID} pollers see; increasing
 * @param channel     its channel
 * @param json        the envelope JSON that {@code Message} carries as a string
 * @param atMillis    when it entered the log (epoch ms), for retention and the {@code Date} field
 */
public record XhrEntry(long id, String channel, String json, long atMillis) {
}
