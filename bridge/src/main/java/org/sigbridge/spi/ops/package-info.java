/**
 * The operations view of a bridge ({@link org.sigbridge.spi.ops.OpsView}: legs, channel snapshots, routing, reload,
 * metrics), kept apart from the adapter SPI so an adapter author sees only hub operations. The ops module serves it
 * over HTTP (docs/operations.md); a front end that mounts those endpoints on its port implements
 * {@link org.sigbridge.spi.ops.OpsMount}.
 */
package org.sigbridge.spi.ops;
