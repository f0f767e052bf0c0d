/**
 * The plain-HTTP side of the web port: the upgrade gate (origin allow-list, per-address limit, draining),
 * static files served from the jar, and the small JSON API the demo uses. Jetty 12 core handlers, no servlets.
 */
package org.sigbridge.web.http;
