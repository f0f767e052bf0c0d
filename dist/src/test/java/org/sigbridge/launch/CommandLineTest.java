package org.sigbridge.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void runsTheDefaultConfigWithoutArguments() {
        CommandLine cmd = CommandLine.parse(List.of(), new StringBuilder()).orElseThrow();
        assertEquals(CommandLine.Mode.RUN, cmd.mode());
        assertEquals(Path.of("conf/sigbridge.yml"), cmd.config());
    }

    @Test
    void checkTakesItsFileDirectlyOrFromConfig() {
        assertEquals(Path.of("x.yml"), CommandLine.parse(List.of("--check", "x.yml"), new StringBuilder()).orElseThrow().config());
        CommandLine cmd = CommandLine.parse(List.of("--config", "y.yml", "--check"), new StringBuilder()).orElseThrow();
        assertEquals(CommandLine.Mode.CHECK, cmd.mode());
        assertEquals(Path.of("y.yml"), cmd.config());
    }

    @Test
    void namesAnUnknownArgument() {
        StringBuilder error = new StringBuilder();
        assertTrue(CommandLine.parse(List.of("--bogus"), error).isEmpty());
        assertEquals("unknown argument '--bogus'", error.toString());
    }

    @Test
    void checkTakesSeveralFiles() {
        CommandLine cmd = CommandLine.parse(List.of("--check", "a.yml", "b.yml", "c.yml"), new StringBuilder()).orElseThrow();
        assertEquals(CommandLine.Mode.CHECK, cmd.mode());
        assertEquals(List.of(Path.of("a.yml"), Path.of("b.yml"), Path.of("c.yml")), cmd.files());
    }

    @Test
    void helpListsEverySubcommandIncludingToken() {
        for (String command : List.of("sigbridge [--config FILE]", "sigbridge --check [FILE...]", "sigbridge token --secret-env",
                "sigbridge --help", "sigbridge --version")) {
            assertTrue(CommandLine.USAGE.contains(command), command + " in " + CommandLine.USAGE);
        }
    }
}
