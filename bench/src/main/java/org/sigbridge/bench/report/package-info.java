/**
 * Turning run results into output: JSON lines, fixed-width text tables, medians with min–max over
 * repeats, Markdown for {@code docs/benchmarks.md} and a small SVG chart writer. Pure code, no I/O but writers.
 */
package org.sigbridge.bench.report;
