/**
 * Network faults for the fault suite (docs/reliability.md): {@link org.sigbridge.testkit.fault.FaultProxy}, a TCP
 * proxy on loopback placed between the bridge and a real peer, which can stall every connection (a network cut
 * that TCP survives) or reset them all; and {@link org.sigbridge.testkit.fault.Ledger}, the per-case account of
 * envelope ids (sent, delivered, reported to the sender, lost, duplicated) with its printed table.
 */
package org.sigbridge.testkit.fault;
