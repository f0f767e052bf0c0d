/**
 * Limits applied at the edge: the per-connection token bucket, the browser Origin allow-list and the
 * per-address connection count. Small, thread-safe values with no I/O.
 */
package org.sigbridge.web.limit;
