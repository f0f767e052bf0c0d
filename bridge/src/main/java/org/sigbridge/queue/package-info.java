/**
 * Bounded, time-limited queues for adapters: every queue in sigbridge has a capacity, an overflow
 * action and a maximum age, and hands back what it had to give up so the sender can be told.
 */
package org.sigbridge.queue;
