package org.sigbridge.testkit.sip;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/**
 * A JAIN-SIP {@link SipListener} that ignores every event: a test stack that should hear nothing uses it as it is, one
 * that hears some events extends it and overrides those. Runs on JAIN-SIP's threads; every method returns at once.
 */
public class NoOpSipListener implements SipListener {

    @Override
    public void processRequest(RequestEvent event) {
    }

    @Override
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
