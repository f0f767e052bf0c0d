package org.sigbridge.testkit.fuzz;

/**
 * How a fuzz run's inputs came out: accepted (the property returned) or refused (it threw the parser's own
 * refusal). A property that refuses everything exercises only the parser's first check, one that accepts
 * everything never reaches its error paths: assert on both with {@link #assertEachAtLeast}.
 *
 * @param name     the property's name
 * @param accepted inputs the property returned on
 * @param refused  inputs the property refused with the declared exception
 */
public record FuzzTally(String name, int accepted, int refused) {

    /** All inputs tried. */
    public int tries() {
        return accepted + refused;
    }

    /**
     * Fails unless both outcomes make up at least {@code share} of the tries.
     *
     * @param share a fraction between 0 and 0.5, e.g. {@code 0.05} for five percent
     * @return this, to chain further assertions
     */
    public FuzzTally assertEachAtLeast(double share) {
        if (accepted < share * tries() || refused < share * tries()) {
            throw new AssertionError("fuzz property '" + name + "' should both accept and refuse at least " + share * 100
                    + "% of its inputs, or it never reaches some of the parser's paths: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return accepted + " accepted, " + refused + " refused of " + tries();
    }
}
