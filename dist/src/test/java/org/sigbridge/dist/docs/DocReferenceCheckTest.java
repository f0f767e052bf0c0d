package org.sigbridge.dist.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker on small trees of its own, so the repository check cannot pass by finding nothing. Document names
 * in the strings below are split ({@code "docs/" + "x.md"}) so that the repository check, which reads this file
 * too, does not take them for references.
 */
class DocReferenceCheckTest {

    private static final String DESIGN = "# Design\n\n"
            + "<a id=\"hub\"></a>\n"
            + "## 2. Envelope and hub\n\n"
            + "### 2.5 Addressed delivery\n\n"
            + "## Error frames and `close` codes\n\n"
            + "```\n## 9. not a heading inside a fence\n```\n";

    @TempDir
    Path root;

    @Test
    void acceptsReferencesToExistingFilesAnchorsAndSections() throws IOException {
        write("docs/design.md", DESIGN);
        write("docs/" + "other.md", "See [the hub](design" + ".md#hub), [errors](design" + ".md#error-frames-and-close-codes),"
                + " [this](#top) and [conf](../conf/x.yml).\n<a id=\"top\"></a>\n[ext]: https://example.org/missing.md\n");
        write("conf/x.yml", "a: 1\n");
        write("mod/src/main/java/p/A.java", "/** Rules (" + "docs/" + "design.md §2.5), " + "docs/" + "design" + ".md#hub, "
                + "docs/" + "design.md §2 and §2.5, " + "docs/" + "other.md. */\nclass A {}\n");

        assertEquals(List.of(), DocReferenceCheck.check(root));
    }

    @Test
    void reportsEachDanglingReferenceWithFileAndLine() throws IOException {
        write("docs/design.md", DESIGN);
        write("mod/src/main/java/p/B.java", String.join("\n",
                "package p;",
                "/** Delivery (" + "docs/" + "design.md §9). */",
                "/** See " + "docs/" + "design" + ".md#nowhere. */",
                "/** See " + "docs/" + "missing.md. */",
                "/** See " + "DESIGN" + ".md §2 and " + "dialects" + ".md §2. */",
                "/** See " + "../" + "shared/notes.txt and design" + ".md §2. */",
                "/** In a fence in the target: " + "docs/" + "design.md §9 again */",
                "class B {}", ""));
        write("docs/" + "links.md", String.join("\n",
                "[gone](gone.md)",
                "```",
                "[ignored in a fence](gone.md)",
                "```",
                "[bad anchor](design" + ".md#nope) and `[code span](gone.md)`",
                "[out](../../outside.md)",
                ""));

        List<String> found = DocReferenceCheck.check(root).stream()
                .map(p -> p.file().toString().replace('\\', '/') + ":" + p.line() + ": " + p.reference())
                .toList();

        assertEquals(List.of(
                "docs/" + "links.md:1: gone.md",
                "docs/" + "links.md:5: design" + ".md#nope",
                "docs/" + "links.md:6: ../../outside.md",
                "mod/src/main/java/p/B.java:2: " + "docs/" + "design.md §9",
                "mod/src/main/java/p/B.java:3: " + "docs/" + "design" + ".md#nowhere",
                "mod/src/main/java/p/B.java:4: " + "docs/" + "missing.md",
                "mod/src/main/java/p/B.java:5: " + "DESIGN" + ".md",
                "mod/src/main/java/p/B.java:5: " + "dialects" + ".md",
                "mod/src/main/java/p/B.java:6: " + "design" + ".md",
                "mod/src/main/java/p/B.java:6: " + "../" + "shared",
                "mod/src/main/java/p/B.java:7: " + "docs/" + "design.md §9"), found);
    }

    @Test
    void ignoresBuildOutput() throws IOException {
        write("mod/target/generated-sources/C.java", "/** " + "docs/" + "missing.md */\n");
        write("mod/target/site/x.md", "[x](missing.md)\n");

        assertEquals(List.of(), DocReferenceCheck.check(root));
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
