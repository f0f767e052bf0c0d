/**
 * The soak's measuring side (docs/reliability.md, "Soak"): {@link org.sigbridge.testkit.soak.ProcessGauge} reads a
 * JVM's heap after a full GC, resident set, threads and open file descriptors (this JVM, or a child such as the
 * packaged jar, from Linux {@code /proc} and the JVM's memory bean over JMX); {@link org.sigbridge.testkit.soak.SoakSample} is one row of
 * those figures with the bridge's own counts, written as CSV and plotted as SVG.
 */
package org.sigbridge.testkit.soak;
