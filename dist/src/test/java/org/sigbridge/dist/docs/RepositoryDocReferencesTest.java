package org.sigbridge.dist.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The repository itself: no javadoc or Markdown cites a document, anchor or section that is not there. */
class RepositoryDocReferencesTest {

    @Test
    void everyDocumentReferenceInTheRepositoryResolves() {
        Path root = repositoryRoot();
        List<DocReferenceCheck.Problem> problems = DocReferenceCheck.check(root);
        assertTrue(problems.isEmpty(), () -> problems.size() + " dangling document reference(s) (see docs/README.md):\n"
                + problems.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    /** The reactor root: the parent of this module's base directory (surefire runs tests there). */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path root = module.getParent();
        assertTrue(root != null && Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("docs")),
                () -> "not the repository root: " + root);
        return root;
    }
}
