package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;

/**
 * A {@link JsonFactory} whose byte-array parsers are {@link SkipAheadParser}s. Input is always read
 * as UTF-8: {@link Json#requireUtf8} has already refused UTF-16/32 and byte order marks, which is
 * all the stock factory's encoding detection would add.
 */
final class SkipAheadJsonFactory extends JsonFactory {
  private static final long serialVersionUID = 1L;

  SkipAheadJsonFactory(JsonFactoryBuilder settings) {
    super(settings);
  }

  @Override
  protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) {
    return new SkipAheadParser(ctxt, _parserFeatures, _objectCodec,
        _byteSymbolCanonicalizer.makeChild(_factoryFeatures), data, offset, offset + len);
  }
}
