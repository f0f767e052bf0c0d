/**
 * JAIN-SIP (RI 1.3.0-91) logging routed to SLF4J, for every JAIN-SIP stack sigbridge creates: the sip
 * adapter's ({@code org.sigbridge.sip.stack.SipStackRunner}) and the test user agents'. The RI's default
 * logger needs log4j 1.x, which it does not pull in (docs/library-assumptions.md#jain-sip); a stack
 * names these classes instead in its properties:
 *
 * <pre>
 * gov.nist.javax.sip.STACK_LOGGER  = org.sigbridge.jainsip.Slf4jStackLogger
 * gov.nist.javax.sip.SERVER_LOGGER = org.sigbridge.jainsip.Slf4jServerLogger
 * </pre>
 *
 * <p>They write to the SLF4J loggers {@code org.sigbridge.sip.stack.jainsip} (the stack's own log, its INFO
 * as DEBUG) and {@code org.sigbridge.sip.stack.messages} (every message, bodies included, at TRACE only), as
 * conf/reference/sip.md tells operators. The RI instantiates them by reflection and calls them from any of its
 * threads; both are thread-safe and hold no resources.
 *
 * <p>{@link org.sigbridge.jainsip.StackStop} stops such a stack and returns once its listening ports are free, in
 * place of the RI's fixed one-second sleep on stop (docs/library-assumptions.md#jain-sip).
 */
package org.sigbridge.jainsip;
