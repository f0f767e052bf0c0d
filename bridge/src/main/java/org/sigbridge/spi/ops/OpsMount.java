package org.sigbridge.spi.ops;

/**
 * Implemented by a front-end {@link org.sigbridge.spi.Adapter} that serves the operations endpoints
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}, {@code /admin/*}) on its own port, as the web adapter does.
 * The bridge calls {@link #mountOps} once, on its own thread, before {@link org.sigbridge.spi.Adapter#start}.
 */
public interface OpsMount {

    /** The view the endpoints read; kept by the adapter for its lifetime. */
    void mountOps(OpsView ops);
}
