package org.sigbridge.dist.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds references to documents and document sections that the repository does not have (the convention is in
 * docs/README.md#citing-the-docs). Pure apart from reading files; thread-safe.
 *
 * <p>It reads every {@code *.java} file under a {@code src} folder and every {@code *.md} file of the tree (build
 * output, {@code .git} and {@code node_modules} aside) and checks:
 * <ul>
 *   <li>textual references {@code docs/<file>.md} and {@code conf/<path>.md} (resolved from the repository root),
 *       with an optional {@code #anchor} or {@code §n[.n]} (also a list: {@code §4.2 and §4.3});</li>
 *   <li>in Markdown, outside fenced code blocks, every relative link {@code [text](path#anchor)} and reference
 *       definition {@code [id]: path}, resolved from the linking file; a link to {@code #anchor} alone names a
 *       section of the same file;</li>
 *   <li>that nothing cites the design or dialect notes by a bare file name, without their {@code docs/} path, nor
 *       a place outside the repository (the team's shared folder beside it, its peer and research notes).</li>
 * </ul>
 * An anchor exists when the target has {@code <a id="…">} (or {@code name}) or a heading whose GitHub slug it is;
 * a section {@code §2.3} exists when a heading starts with that number.
 */
public final class DocReferenceCheck {

    /** One dangling reference: where it is, what it says and why it does not resolve. */
    public record Problem(Path file, int line, String reference, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reference + ": " + why;
        }
    }

    private static final String SECTION = "§\\s*\\d+(?:\\.\\d+)*";
    private static final Pattern TEXT_REF = Pattern.compile(
            "(?<![\\w./-])((?:docs|conf)/[\\w./-]*?\\.md)(#[\\w-]+)?((?:\\s*" + SECTION + ")(?:(?:,\\s*|\\s+and\\s+|\\s*[–-]\\s*)"
                    + SECTION + ")*)?");
    private static final Pattern SECTION_NUMBER = Pattern.compile("§\\s*(\\d+(?:\\.\\d+)*)");
    private static final Pattern BARE_NAME = Pattern.compile("(?<![\\w./-])((?:DESIGN|dialects)\\.md)|(?<=^|[\\s(])(design\\.md)");
    private static final Pattern OUTSIDE = Pattern.compile("(\\.\\./shared\\b|peers/READ[M]E|(?<![\\w.-])research/[\\w-]+\\.md)");
    private static final Pattern MD_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern MD_REF_DEF = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:|^//");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern HEADING_NUMBER = Pattern.compile("^(\\d+(?:\\.\\d+)*)(?:\\.|\\s|$)");

    private final Path root;
    private final Map<Path, Targets> targets = new HashMap<>();

    private DocReferenceCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every dangling reference in the tree at {@code root}, in file and line order. */
    public static List<Problem> check(Path root) {
        return new DocReferenceCheck(root).run();
    }

    private List<Problem> run() {
        List<Problem> problems = new ArrayList<>();
        for (Path file : sources()) {
            String name = file.getFileName().toString();
            List<String> lines = read(file);
            if (name.endsWith(".md")) {
                checkMarkdown(file, lines, problems);
            } else {
                for (int i = 0; i < lines.size(); i++) {
                    checkText(file, i + 1, lines.get(i), problems);
                }
            }
        }
        return problems;
    }

    private List<Path> sources() {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !excluded(root.relativize(p)))
                    .filter(p -> {
                        String rel = root.relativize(p).toString().replace('\\', '/');
                        return rel.endsWith(".md") || rel.endsWith(".java") && (rel.startsWith("src/") || rel.contains("/src/"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean excluded(Path relative) {
        for (Path part : relative) {
            String p = part.toString();
            if (p.equals("target") || p.equals("node_modules") || p.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private void checkMarkdown(Path file, List<String> lines, List<Problem> problems) {
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String code = CODE_SPAN.matcher(line).replaceAll("");
            Matcher link = MD_LINK.matcher(code);
            while (link.find()) {
                checkLink(file, i + 1, link.group(1), problems);
            }
            Matcher def = MD_REF_DEF.matcher(code);
            if (def.matches()) {
                checkLink(file, i + 1, def.group(1), problems);
            }
            checkText(file, i + 1, MD_LINK.matcher(line).replaceAll(""), problems);
        }
    }

    /** Textual references and forbidden names in one line. */
    private void checkText(Path file, int line, String text, List<Problem> problems) {
        Matcher ref = TEXT_REF.matcher(text);
        while (ref.find()) {
            Path target = root.resolve(ref.group(1)).normalize();
            String anchor = ref.group(2) == null ? null : ref.group(2).substring(1);
            List<String> sections = new ArrayList<>();
            if (ref.group(3) != null) {
                Matcher n = SECTION_NUMBER.matcher(ref.group(3));
                while (n.find()) {
                    sections.add(n.group(1));
                }
            }
            resolve(file, line, ref.group().strip(), target, anchor, sections, problems);
        }
        Matcher bare = BARE_NAME.matcher(text);
        while (bare.find()) {
            problems.add(new Problem(rel(file), line, bare.group(1) != null ? bare.group(1) : bare.group(2),
                    "cite a document by its path in the repository (docs/design.md, docs/dialects.md), never by a bare name"));
        }
        Matcher outside = OUTSIDE.matcher(text);
        while (outside.find()) {
            problems.add(new Problem(rel(file), line, outside.group(1),
                    "a place outside the repository; cite docs/…, conf/reference/… or the RFC/XEP instead"));
        }
    }

    private void checkLink(Path file, int line, String target, List<Problem> problems) {
        if (SCHEME.matcher(target).find()) {
            return;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Path resolved = path.isEmpty() ? file : resolveLink(file, path);
        if (resolved == null) {
            problems.add(new Problem(rel(file), line, target, "not a valid path"));
            return;
        }
        resolve(file, line, target, resolved, anchor == null || anchor.isEmpty() ? null : anchor, List.of(), problems);
    }

    private Path resolveLink(Path file, String path) {
        try {
            String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            return decoded.startsWith("/") ? root.resolve(decoded.substring(1)).normalize() : file.getParent().resolve(decoded).normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void resolve(Path file, int line, String reference, Path target, String anchor, List<String> sections,
                         List<Problem> problems) {
        if (!target.startsWith(root)) {
            problems.add(new Problem(rel(file), line, reference, "points outside the repository"));
            return;
        }
        if (!Files.exists(target)) {
            problems.add(new Problem(rel(file), line, reference, rel(target) + " does not exist"));
            return;
        }
        if (anchor == null && sections.isEmpty()) {
            return;
        }
        if (!target.getFileName().toString().endsWith(".md") || Files.isDirectory(target)) {
            return; // anchors into other files (line anchors of sources) are not checked
        }
        Targets t = targets.computeIfAbsent(target, p -> Targets.of(read(p)));
        if (anchor != null && !t.anchors.contains(anchor)) {
            problems.add(new Problem(rel(file), line, reference, rel(target) + " has no anchor #" + anchor));
        }
        for (String section : sections) {
            if (!t.sections.contains(section)) {
                problems.add(new Problem(rel(file), line, reference, rel(target) + " has no section §" + section));
            }
        }
    }

    private Path rel(Path p) {
        return root.relativize(p.toAbsolutePath().normalize());
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The anchors and numbered sections one Markdown file offers. */
    private record Targets(Set<String> anchors, Set<String> sections) {

        static Targets of(List<String> lines) {
            Set<String> anchors = new HashSet<>();
            Set<String> sections = new HashSet<>();
            Map<String, Integer> slugCount = new HashMap<>();
            boolean fenced = false;
            for (String line : lines) {
                if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher a = HTML_ANCHOR.matcher(line);
                while (a.find()) {
                    anchors.add(a.group(1));
                }
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    String text = h.group(2);
                    String slug = slug(text);
                    int seen = slugCount.merge(slug, 1, Integer::sum) - 1;
                    anchors.add(seen == 0 ? slug : slug + "-" + seen);
                    Matcher n = HEADING_NUMBER.matcher(text);
                    if (n.find()) {
                        sections.add(n.group(1));
                    }
                }
            }
            return new Targets(anchors, sections);
        }

        /** GitHub's heading slug: rendered text, lower case, punctuation dropped, spaces to hyphens. */
        static String slug(String heading) {
            String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
            StringBuilder sb = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') {
                    sb.appendCodePoint(Character.toLowerCase(cp));
                } else if (cp == ' ') {
                    sb.append('-');
                }
            }
            return sb.toString().toLowerCase(Locale.ROOT);
        }
    }
}
