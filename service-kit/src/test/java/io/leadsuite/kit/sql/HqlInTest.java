package io.leadsuite.kit.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class HqlInTest {

    @Test
    void oneParameterPerValuePaddedToAPowerOfTwoWithTheLastValue() {
        assertEquals("in (?1)", HqlIn.in(1, List.of("a")));
        assertEquals("in (?3, ?4)", HqlIn.in(3, List.of("a", "b")));
        assertEquals("in (?1, ?2, ?3, ?4)", HqlIn.in(1, List.of("a", "b", "c")));
        assertArrayEquals(new Object[] { "a", "b", "c", "c" }, HqlIn.values(List.of("a", "b", "c")));
    }

    @Test
    void everyListUpToTheMostTakesOneOfElevenTexts() {
        Set<String> texts = new HashSet<>();
        for (int size = 1; size <= HqlIn.MOST; size++) {
            List<Integer> values = IntStream.range(0, size).boxed().toList();
            texts.add(HqlIn.in(1, values));
            Object[] bound = HqlIn.values(values);
            assertEquals(Set.copyOf(values), new HashSet<>(Arrays.asList(bound)),
                    "the bound values are the list's, nothing else (size " + size + ")");
            assertEquals(HqlIn.in(1, values).split("\\?").length - 1, bound.length, "one value per parameter");
        }
        assertEquals(11, texts.size());
    }

    @Test
    void aLongerListBindsAsOneListParameter() {
        List<Integer> values = IntStream.range(0, HqlIn.MOST + 1).boxed().toList();
        assertEquals("in ?2", HqlIn.in(2, values));
        assertSame(values, HqlIn.values(values)[0]);
    }

    @Test
    void anEmptyListBindsAsOneListParameterToo() {
        assertEquals("in ?1", HqlIn.in(1, List.of()));
        assertEquals(List.of(), HqlIn.values(List.of())[0]);
    }
}
