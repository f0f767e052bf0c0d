/**
 * The build check that keeps the repository's document references honest: every {@code docs/…} and
 * {@code conf/…} reference in javadoc and Markdown, and every relative Markdown link, must name a file, anchor
 * or section that exists (docs/README.md#citing-the-docs). It runs as a plain test in {@code dist}, the top of
 * the reactor, over the whole repository.
 */
package org.sigbridge.dist.docs;
