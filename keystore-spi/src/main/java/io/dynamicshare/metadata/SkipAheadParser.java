package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Jackson's byte parser with a faster skip over string values. A 25 KB {@code secretShare} is one
 * hex string that validation only needs to step over; Jackson's own skip looks at it a byte at a
 * time (about 0.4 ns per byte, more than AES-GCM spends on the same bytes). This parser first leaps
 * over the run of plain printable ASCII eight bytes at a time, then lets Jackson's loop finish from
 * the first byte that needs a look (quote, backslash, control or non-ASCII byte), so escapes,
 * multi-byte UTF-8, errors and the closing quote are still Jackson's. Nothing is decoded or copied.
 */
final class SkipAheadParser extends UTF8StreamJsonParser {
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long BACKSLASHES = ONES * '\\';
  /** Bytes below 0x23: control characters, the quote, and (harmlessly, Jackson takes them) space and '!'. */
  private static final long BELOW_HASH = ONES * '#';

  /** The 9-argument constructor has existed throughout Jackson 2.x; the array is the whole input. */
  @SuppressWarnings("deprecation")
  SkipAheadParser(IOContext ctxt, int features, ObjectCodec codec, ByteQuadsCanonicalizer names,
      byte[] input, int start, int end) {
    super(ctxt, features, null, codec, names, input, start, end, false);
  }

  @Override
  protected void _skipString() throws IOException {
    _inputPtr = plainRunEnd(_inputBuffer, _inputPtr, _inputEnd);
    super._skipString();
  }

  /**
   * Index of the first byte in {@code [from, to)} that is below 0x23 (control bytes, space, '!' and
   * the quote), a backslash or above 0x7f, or the start of the last partial word (left to the
   * caller's byte loop). Classic word-at-a-time tests: the lowest flagged byte of each test is exact
   * (borrows only run upwards).
   * Four words are tested per branch, so the common case is one well-predicted branch per 32 bytes.
   */
  static int plainRunEnd(byte[] b, int from, int to) {
    ByteBuffer words = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int i = from;
    // A counted loop (constant stride, precomputed limit), so the JIT can hoist the buffer's bounds checks.
    int blocks = (to - from) >>> 5;
    for (int k = 0; k < blocks; k++, i += 32) {
      if ((flags(words.getLong(i)) | flags(words.getLong(i + 8)) | flags(words.getLong(i + 16))
          | flags(words.getLong(i + 24))) != 0) {
        break;
      }
    }
    for (; i <= to - 8; i += 8) {
      long f = flags(words.getLong(i));
      if (f != 0) {
        return i + (Long.numberOfTrailingZeros(f) >>> 3);
      }
    }
    return i;
  }

  /**
   * High bit set in (at least) the lowest byte of {@code x} that needs a look, if any does: below 0x23 (one
   * test covers control bytes and the quote; space and '!' merely end the leap early), a backslash, or above 0x7f.
   */
  private static long flags(long x) {
    long s = x ^ BACKSLASHES;
    return ((x - BELOW_HASH) & ~x | (s - ONES) & ~s | x) & HIGH;
  }
}
