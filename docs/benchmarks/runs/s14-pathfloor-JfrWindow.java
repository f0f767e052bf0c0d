import java.nio.file.Path;
import java.time.Instant;
import java.util.*;
import jdk.jfr.consumer.*;

/** java JfrWindow.java FILE.jfr FROM_EPOCH_S TO_EPOCH_S [prefix...]: inclusive and self shares of execution samples in a window. */
public class JfrWindow {
    public static void main(String[] a) throws Exception {
        double fa = Double.parseDouble(a[1]), ta = Double.parseDouble(a[2]);
        Instant last = Instant.EPOCH;
        if (fa < 0) {
            try (RecordingFile f = new RecordingFile(Path.of(a[0]))) {
                while (f.hasMoreEvents()) { Instant t = f.readEvent().getEndTime(); if (t.isAfter(last)) last = t; }
            }
            fa = last.toEpochMilli() / 1000.0 + fa; ta = last.toEpochMilli() / 1000.0 + ta;
            System.out.printf("window %.1f .. %.1f (last event %s)%n", fa, ta, last);
        }
        Instant from = Instant.ofEpochMilli((long) (fa * 1000));
        Instant to = Instant.ofEpochMilli((long) (ta * 1000));
        Map<String, Long> incl = new HashMap<>(), self = new HashMap<>(), thr = new HashMap<>(), alloc = new HashMap<>();
        Map<String, Long> cat = new LinkedHashMap<>(); Map<String, Long> bsites = new HashMap<>();
        long n = 0; long allocTotal = 0;
        try (RecordingFile f = new RecordingFile(Path.of(a[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                Instant t = e.getStartTime();
                if (t.isBefore(from) || t.isAfter(to)) continue;
                String type = e.getEventType().getName();
                if (type.equals("jdk.ObjectAllocationSample")) {
                    RecordedClass c = e.getClass("objectClass");
                    long w = e.getLong("weight"); allocTotal += w;
                    alloc.merge(c == null ? "?" : c.getName(), w, Long::sum);
                    RecordedStackTrace ast = e.getStackTrace();
                    if (ast != null && c != null && c.getName().equals("byte[]") || (c != null && c.getName().equals("[B"))) {
                        String site = "?";
                        if (ast != null) for (RecordedFrame fr : ast.getFrames()) { String tn = fr.getMethod().getType().getName(); if (!tn.startsWith("java.")) { site = tn + "." + fr.getMethod().getName(); break; } }
                        bsites.merge(site, w, Long::sum);
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) continue;
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) continue;
                n++;
                RecordedThread th = e.getThread("sampledThread");
                if (th != null && "main".equals(th.getJavaName())) continue;
                String need = System.getenv("NEED");
                if (need != null) { boolean ok = false; for (RecordedFrame fr : st.getFrames()) if ((fr.getMethod().getType().getName() + "." + fr.getMethod().getName()).contains(need)) { ok = true; break; } if (!ok) continue; }
                String not = System.getenv("NOT");
                if (not != null) { boolean bad = false; for (RecordedFrame fr : st.getFrames()) for (String x : not.split(",")) if ((fr.getMethod().getType().getName() + "." + fr.getMethod().getName()).contains(x)) bad = true; if (bad) continue; }
                thr.merge(th == null ? "?" : th.getJavaName().replaceAll("\\d+", "#"), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                List<RecordedFrame> frames = st.getFrames();
                for (RecordedFrame fr : frames) {
                    String m = fr.getMethod().getType().getName() + "." + fr.getMethod().getName();
                    if (seen.add(m)) incl.merge(m, 1L, Long::sum);
                }
                RecordedFrame top = frames.get(0);
                self.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
                cat.merge(category(seen), 1L, Long::sum);
            }
        }
        System.out.printf("samples %d%n", n);
        print("threads", thr, n, 12);
        print("categories", cat, n, 30);
        print("inclusive", incl, n, 70);
        print("self", self, n, 40);
        final long at = allocTotal; System.out.printf("%n== allocation (sampled weight) total %.1f MB%n", at / 1e6);
        alloc.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
             .forEach(en -> System.out.printf("%6.1f%%  %s%n", 100.0 * en.getValue() / at, en.getKey()));
        System.out.printf("%n== byte[] allocation by first non-JDK frame%n");
        bsites.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
             .forEach(en -> System.out.printf("%6.1f%%  %s%n", 100.0 * en.getValue() / at, en.getKey()));
    }

    static String category(Set<String> s) {
        if (s.contains("org.sigbridge.sip.session.InboundHandler.handle")) {
            if (s.contains("org.sigbridge.sip.session.Responder.answer")) return "in: answer (Responder)";
            if (s.contains("org.sigbridge.hub.Hub.publishInbound") || any(s, "publishInbound")) return "in: hub publish (incl. web send)";
            if (any(s, "SipEnvelopeMapper.toEnvelope")) return "in: toEnvelope";
            return "in: handle other";
        }
        if (any(s, "SipListenerAdapter.processResponse") || any(s, "ClientRequests.onResponse") || any(s, "processResponse")) return "response handling (client tx)";
        if (any(s, "OutboundSender.sendNext")) {
            if (any(s, "toMessage")) return "out: build MESSAGE";
            return "out: send MESSAGE (JAIN-SIP)";
        }
        if (any(s, "StringMsgParser.parseSIPMessage")) return "jain-sip: parse";
        if (any(s, "PipelinedMsgParser.run")) return "jain-sip: read (Pipeline, readLine)";
        if (any(s, "ConnectionOrientedMessageChannel.run") || any(s, "TCPMessageChannel.run")) return "jain-sip: socket read";
        if (any(s, "org.eclipse.jetty")) return "jetty (web in/out)";
        return "other";
    }
    static boolean any(Set<String> s, String frag) { for (String x : s) if (x.contains(frag)) return true; return false; }
    static void print(String title, Map<String, Long> m, long n, int lim) {
        System.out.printf("%n== %s%n", title);
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(lim)
         .forEach(en -> System.out.printf("%6.1f%%  %6d  %s%n", 100.0 * en.getValue() / n, en.getValue(), en.getKey()));
    }
}
