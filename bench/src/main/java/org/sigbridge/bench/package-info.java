/**
 * sigbridge's benchmark tool: {@link org.sigbridge.bench.BenchMain} dispatches to the load generator
 * ({@code load}), the scenario runner ({@code scenarios}) and the start-to-ready probe ({@code ready}).
 * Nothing here is part of the bridge; performance is measured here and never asserted by tests.
 */
package org.sigbridge.bench;
