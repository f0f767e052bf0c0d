/**
 * The web adapter's part of operations: its {@code sigbridge_web_*} series ({@link org.sigbridge.web.ops.WebMetrics})
 * and its drain on request ({@link org.sigbridge.web.ops.DrainControl}, the {@link org.sigbridge.ops.Drain} the
 * mounted admin API drives). The endpoints themselves ({@code /healthz}, {@code /readyz}, {@code /metrics},
 * {@code /admin/*}) are the ops module's, mounted on this adapter's port.
 */
package org.sigbridge.web.ops;
