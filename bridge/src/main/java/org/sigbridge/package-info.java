/**
 * The embedding API: {@link org.sigbridge.SigBridge} builds a bridge from a config (a file or records
 * made in code), starts its adapters and stops them, so a host such as a chat server can run sigbridge
 * in-process without {@code Main}.
 */
package org.sigbridge;
