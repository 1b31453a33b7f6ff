package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThresholdSignatureSchemeTest {
  @Test
  void serverShareCounts() throws Exception {
    assertEquals(1, ThresholdSignatureScheme.parse("TWO_OF_TWO").serverShareCount());
    assertEquals(2, ThresholdSignatureScheme.parse("TWO_OF_THREE").serverShareCount());
    assertEquals(3, ThresholdSignatureScheme.parse("THREE_OF_FIVE").serverShareCount());
    assertEquals(3, ThresholdSignatureScheme.values().length);
  }

  @Test
  void unknownNamesAreRejected() {
    assertEquals("thresholdSignatureScheme is missing; expected one of TWO_OF_TWO, TWO_OF_THREE, THREE_OF_FIVE",
        assertRejected("thresholdSignatureScheme", () -> ThresholdSignatureScheme.parse(null)).getMessage());
    for (String bad : new String[] {"", "two_of_two", "TwoOfTwo", " TWO_OF_TWO", "ONE_OF_ONE"}) {
      assertRejected("thresholdSignatureScheme", () -> ThresholdSignatureScheme.parse(bad));
    }
    assertEquals("thresholdSignatureScheme 'TWO\\u000aOF' is not a known threshold signature scheme;"
            + " expected one of TWO_OF_TWO, TWO_OF_THREE, THREE_OF_FIVE",
        assertRejected("thresholdSignatureScheme", () -> ThresholdSignatureScheme.parse("TWO\nOF")).getMessage());
  }
}
