package org.sigbridge.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void reportsMedianWithMinAndMaxOfOddRepeats() {
        Spread s = Spread.of(List.of(30.0, 10.0, 20.0));
        assertEquals(new Spread(20.0, 10.0, 30.0, 3), s);
        assertEquals("20 (10–30)", s.format(0));
    }

    @Test
    void averagesTheMiddlePairOfEvenRepeats() {
        assertEquals(2.5, Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median());
    }

    @Test
    void showsASingleValueWithoutARangeAndNothingAsADash() {
        assertEquals("1,234.5", Spread.of(List.of(1234.5)).format(1));
        assertEquals("—", Spread.of(List.of()).format(1));
    }

    @Test
    void markdownTableHasOneRowPerPointAndRightAlignedNumbers() {
        String md = new TextTable(List.of("point", "deliv/s")).row(List.of("a", "10")).markdown();
        assertEquals("| point | deliv/s |\n|---|---:|\n| a | 10 |\n", md);
    }

    @Test
    void jsonLineEscapesQuotesAndControlCharacters() {
        String json = new JsonLine().put("s", "a\"b\n").put("n", 3).toString();
        assertEquals("{\"s\":\"a\\\"b\\n\",\"n\":3}", json);
    }

    @Test
    void chartPlotsEverySeriesAndSkipsMissingPoints() {
        String svg = new SvgChart("t", "x", "y", true)
                .add(new SvgChart.Series("one", List.of(100.0, 1000.0), List.of(1.0, Double.NaN)))
                .add(new SvgChart.Series("two", List.of(100.0, 1000.0), List.of(2.0, 3.0))).render();
        assertTrue(svg.startsWith("<svg"));
        assertEquals(3, svg.split("<circle").length - 1, "one dot for 'one', two for 'two'");
    }
}
