package org.sigbridge.sip.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ContentLengthHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's message parser with one addition on stream transports (TCP, TLS): a request whose declared body is
 * too big for the stack's reader to hold is answered {@code 513 Message Too Large} (RFC 3261 §21.5.14) on its
 * connection, which is then closed, instead of only being closed.
 *
 * <p>Why here: JAIN-SIP's stream reader ({@code PipelinedMsgParser}) reads the header block, hands it to this parser,
 * and only then looks at {@code Content-Length}. If the declared length alone is above
 * {@code gov.nist.javax.sip.MAX_MESSAGE_SIZE} it throws from its reading thread and the connection ends with no
 * answer at all; if the body merely does not fit what is left of that size, it skips the body and its channel
 * answers 513 and closes the connection (docs/library-assumptions.md#jain-sip). This parser sees the header block
 * first and sends every request that would not be read whole down the second path, by lowering the declared length
 * to {@code MAX_MESSAGE_SIZE}: the reader then neither throws nor reads the body, and JAIN-SIP answers 513. The body
 * bytes on the stream cannot be skipped safely without reading them (they could hold anything, a request line
 * included), so closing the connection after the answer is right. Bodies above {@code max-body-bytes} that still
 * fit the reader are read and answered 413 by the mapper, and the connection stays open. A response with such a
 * body (there is nobody to answer) closes the connection, logged.
 *
 * <p>Datagrams (UDP) are parsed whole ({@code readBody} true) and pass through untouched. Called on JAIN-SIP's
 * per-connection reading thread; never blocks; {@code onRefused} must only count.
 */
final class OversizeAnsweringParserFactory implements MessageParserFactory {

    private static final Logger log = LoggerFactory.getLogger(OversizeAnsweringParserFactory.class);
    /**
     * Room for what the stream reader counts but does not hand on: the CR of every header line (the block is at
     * most doubled by them) and blank lines before the request line.
     */
    private static final int SLACK_BYTES = 1024;

    private final String adapterName;
    private final int maxMessageBytes;
    private final int maxBodyBytes;
    private final Runnable onRefused;

    /**
     * @param adapterName     for log lines
     * @param maxMessageBytes the stack's {@code MAX_MESSAGE_SIZE}
     * @param maxBodyBytes    the adapter's {@code max-body-bytes}; bodies up to it are never refused here
     * @param onRefused       counts one refused request (called on a JAIN-SIP thread; must not block)
     */
    OversizeAnsweringParserFactory(String adapterName, int maxMessageBytes, int maxBodyBytes, Runnable onRefused) {
        this.adapterName = adapterName;
        this.maxMessageBytes = maxMessageBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.onRefused = onRefused;
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new Parser();
    }

    /**
     * Whether a stream message with {@code headerBytes} of header block and {@code declaredBodyBytes} of body is
     * refused: its body is above {@code max-body-bytes} and might not fit what the stream reader has left.
     */
    boolean refuses(int headerBytes, long declaredBodyBytes) {
        return declaredBodyBytes > maxBodyBytes && declaredBodyBytes + 2L * headerBytes + SLACK_BYTES >= maxMessageBytes;
    }

    private final class Parser extends StringMsgParser {

        @Override
        public SIPMessage parseSIPMessage(byte[] block, boolean readBody, boolean strict, ParseExceptionListener listener)
                throws ParseException {
            SIPMessage message = super.parseSIPMessage(block, readBody, strict, listener);
            if (message == null || readBody || !(listener instanceof MessageChannel channel)) {
                return message;
            }
            ContentLengthHeader length = message.getContentLength();
            long declared = length == null ? 0 : length.getContentLength();
            if (!refuses(block.length, declared)) {
                return message;
            }
            String peer = channel.getPeerAddress() + ":" + channel.getPeerPort();
            if (message instanceof SIPRequest request) {
                onRefused.run();
                try {
                    length.setContentLength(maxMessageBytes);
                } catch (InvalidArgumentException e) {
                    throw new IllegalStateException("MAX_MESSAGE_SIZE " + maxMessageBytes + " is not a valid Content-Length", e);
                }
                log.info("{}: {} from {} declares a {}-byte body, above max-body-bytes {} and too big to read: "
                        + "answering 513 and closing the connection", adapterName, request.getMethod(), peer, declared, maxBodyBytes);
                return message;
            }
            log.info("{}: a response from {} declares a {}-byte body, too big to read: closing the connection", adapterName, peer, declared);
            channel.close();
            return null;
        }
    }
}
