/**
 * Verified sender identity (docs/design.md §6.3): HMAC-SHA256 tokens in the JWT compact form (HS256) that name a sender,
 * may restrict channels by a glob and expire; {@link org.sigbridge.web.identity.TokenVerifier} checks them, one
 * {@link org.sigbridge.web.identity.SenderGuard} per connection applies them, {@link org.sigbridge.web.identity.IdentityGate}
 * hands them to dialects, {@link org.sigbridge.web.identity.TokenCli}
 * mints them for operators.
 */
package org.sigbridge.web.identity;
