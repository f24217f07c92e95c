package io.shiftsr.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class OneLineTest {
    @Test
    void plainMessagesPassUnchanged() {
        String m = "photo é 東京 🙂.jpg: not an image";
        assertSame(m, OneLine.of(m));
    }

    @Test
    void controlCharactersAreShownEscaped() {
        assertEquals("a\\nb\\rc\\td", OneLine.of("a\nb\rc\td"));
        assertEquals("\\x1b[31mred\\x7f\\x85", OneLine.of("\u001b[31mred\u007f\u0085"));
        // the line and paragraph separators are shown by their own code, not their low byte (\x28 was a bug)
        assertEquals("x\\u2028y\\u2029", OneLine.of("x\u2028y\u2029"));
    }

    @Test
    void shortenedKeepsTheFirstCharactersAndSaysSo() {
        assertEquals("abc", OneLine.shortened("abc", 3));
        assertEquals("abc...", OneLine.shortened("abcd", 3));
        assertEquals("\\nb...", OneLine.shortened("\nbc", 2));
        // a surrogate pair straddling the cut is left out whole, not split into a lone half
        assertEquals("a...", OneLine.shortened("a🙂b", 2));
        assertEquals("a🙂...", OneLine.shortened("a🙂b", 3));
    }
}
