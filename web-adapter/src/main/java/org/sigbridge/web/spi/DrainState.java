package org.sigbridge.web.spi;

/**
 * What a dialect needs to know about a drain ({@code POST /admin/drain}): while draining, clients the
 * dialect already knows are served and new ones are refused; once the deadline has passed every request is
 * refused. Implementations are thread-safe and never block.
 */
public interface DrainState {

    /** A state that never drains (tests, or an adapter without the admin API). */
    DrainState NEVER = new DrainState() {
        @Override
        public boolean draining() {
            return false;
        }

        @Override
        public boolean deadlinePassed() {
            return false;
        }
    };

    /** True from the start of a drain on; it cannot be undone. */
    boolean draining();

    /** True once the drain deadline has passed (what was still open was closed then). */
    boolean deadlinePassed();
}
