package org.sigbridge.launch;

/**
 * Tells Jetty how many object references fill a cache line, the one figure for which Jetty's {@code MemoryUtils} would
 * otherwise create the JVM's platform MBean server at start (to read the HotSpot option {@code UseCompressedOops}): that
 * server, its platform beans and the flight recorder's bean are about 300 classes and a few percent of a start that
 * nothing on the default config uses (docs/operations.md, "Start-up"). The value is the one Jetty computes: the cache
 * line ({@code org.eclipse.jetty.util.cacheLineBytes}, default 64) over the size of a reference, 4 bytes with
 * compressed references and 8 without, which the JVM reports as the index scale of an {@code Object[]}. An operator's
 * own {@code -Dorg.eclipse.jetty.util.referencesPerCacheLine} wins. Called once by {@link Main} before the bridge
 * starts; the MBean server is still created as before by whatever asks for it later (a JMX client, the JVM metrics on
 * the first scrape).
 */
final class JettyCacheLineHint {

    static final String PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";

    private JettyCacheLineHint() {
    }

    static void apply() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(referencesPerCacheLine(System.getProperty(CACHE_LINE_BYTES))));
        }
    }

    /** As Jetty's {@code MemoryUtils}: cache line bytes (64 unless given as a number) over the reference size. */
    static int referencesPerCacheLine(String cacheLineBytes) {
        int bytes = 64;
        if (cacheLineBytes != null) {
            try {
                bytes = Integer.parseInt(cacheLineBytes);
            } catch (NumberFormatException e) {
                // Jetty ignores it too and keeps 64
            }
        }
        return sun.misc.Unsafe.ARRAY_OBJECT_INDEX_SCALE == 4 ? bytes >> 2 : bytes >> 3;
    }
}
