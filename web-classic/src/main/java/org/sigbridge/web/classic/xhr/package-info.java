/**
 * XHR-Signaling (docs/dialects.md §4): {@code POST /Home/PostData} and {@code POST /Home/GetData} with the original's
 * shapes, but with a per-client cursor kept by cookie so no message is lost between polls, plus a long poll.
 * {@link org.sigbridge.web.classic.xhr.XhrMailbox} is the bounded log and the hub endpoint; {@link org.sigbridge.web.classic.xhr.XhrForm}
 * and {@link org.sigbridge.web.classic.xhr.XhrFrames} are pure; {@link org.sigbridge.web.classic.xhr.XhrHandler} is the HTTP side.
 * On a cluster {@link org.sigbridge.web.classic.xhr.SharedXhrMailbox} replaces the mailbox: sessions live in the
 * cluster's {@link org.sigbridge.spi.cluster.SessionStore} and any instance serves them, one
 * {@link org.sigbridge.web.classic.xhr.XhrSession} endpoint per session on the instance that owns it (docs/cluster.md §2),
 * held by {@link org.sigbridge.web.classic.xhr.XhrSessions} and written to the store by
 * {@link org.sigbridge.web.classic.xhr.XhrSessionRecords}.
 */
package org.sigbridge.web.classic.xhr;
