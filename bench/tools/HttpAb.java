// Plain-HTTP cost of a sigbridge build, jar by jar, interleaved (docs/benchmarks.md, "Round 2"): starts each jar on
// CPU 0 with the shipped heap options and the bench config, sends 10,000 warm-up then N kept-alive
// GET /healthz requests with seven browser-like headers over 8 connections, and prints the server's CPU per request.
// Not part of the Maven build; run from a checkout, the generator on the other CPU:
//   taskset -c 1 java bench/tools/HttpAb.java NEW.jar,OLD.jar 3 20000 bench/results/<run>/sigbridge-bench.yml
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

/** Server CPU per plain HTTP request, jar by jar, interleaved: GET /healthz with browser-like headers on kept-alive connections. */
public class HttpAb {
    static long cpuTicks(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    public static void main(String[] a) throws Exception {
        List<String> jars = List.of(a[0].split(","));
        int rounds = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]), conns = 8;
        Path cfg = Path.of(a[3]);
        Map<String, List<Double>> us = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) for (String jar : jars) {
            int port; try (ServerSocket ss = new ServerSocket(0)) { port = ss.getLocalPort(); }
            ProcessBuilder pb = new ProcessBuilder("taskset", "-c", "0", "java", "-Xms64m", "-Xmx512m", "-jar", jar, "--config", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(new java.io.File("/dev/null"));
            pb.environment().put("SIGBRIDGE_WEB_PORT", Integer.toString(port));
            Process p = pb.start();
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(conns)).build();
            URI u = URI.create("http://127.0.0.1:" + port + "/healthz");
            HttpRequest req = HttpRequest.newBuilder(u).header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
                    .header("Accept", "*/*").header("Accept-Language", "en-US,en;q=0.9").header("Accept-Encoding", "gzip, deflate, br")
                    .header("Cookie", "io=abcdefghijklmnopqrst; session=0123456789abcdef").header("Referer", "http://127.0.0.1:" + port + "/room.html").build();
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (true) { try { c.send(req, HttpResponse.BodyHandlers.discarding()); break; } catch (Exception e) { if (System.nanoTime() > deadline) throw e; Thread.sleep(100); } }
            run(c, req, n / 2, conns); // warm-up: half of n
            long t0 = cpuTicks(p.pid());
            long w0 = System.nanoTime();
            run(c, req, n, conns);
            double cpuUs = (cpuTicks(p.pid()) - t0) * 10_000.0 / n;
            us.computeIfAbsent(jar, k -> new ArrayList<>()).add(cpuUs);
            System.out.printf("round %d %s: %.1f us server CPU per request (%.1f s wall)%n", r + 1, jar, cpuUs, (System.nanoTime() - w0) / 1e9);
            p.destroy(); p.waitFor(10, TimeUnit.SECONDS); p.destroyForcibly();
        }
        us.forEach((k, v) -> { List<Double> s = new ArrayList<>(v); Collections.sort(s); System.out.printf("%s median %.1f us (%s)%n", k, s.get(s.size() / 2), s); });
        System.exit(0);
    }
    static void run(HttpClient c, HttpRequest req, int n, int conns) throws Exception {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        int per = n / conns;
        for (int i = 0; i < conns; i++) fs.add(CompletableFuture.runAsync(() -> {
            for (int k = 0; k < per; k++) try { c.send(req, HttpResponse.BodyHandlers.discarding()); } catch (Exception e) { throw new CompletionException(e); }
        }));
        for (var f : fs) f.join();
    }
}
