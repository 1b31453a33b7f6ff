package io.dynamicshare.audit;

import io.dynamicshare.audit.AuditEvent.Operation;
import io.dynamicshare.audit.AuditEvent.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An audit line cannot be forged: whatever the alias, actor, KEK id or detail hold, the rendered line is one
 * line of {@code key=value} fields that parses back to exactly the event's values.
 */
class AuditEventLineTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

    /** Characters an attacker would reach for, and ordinary ones, with extra weight on the dangerous ones. */
    private static final String SPECIALS = " \"'=\\\u2028\u2029\u0085\u00a0\u200b\u200e\u202e\u2066\ufeff\ufffe\uffff"
            + "\u3000\ud800\udbff\udc00\udfff\u00e9\u20ac\u0301";

    @Test
    void aNewlineInTheAliasCannotForgeASecondLine() {
        AuditEvent e = new AuditEvent(T, "app", Operation.GET,
                "a\n2026-01-02T03:04:05Z actor=admin op=DELETE alias=b outcome=SUCCESS", null, Outcome.NOT_FOUND, null);
        String line = e.toString();
        assertNoRawControl(line);
        Map<String, String> fields = parse(line);
        assertEquals(List.of("time", "actor", "op", "alias", "outcome"), new ArrayList<>(fields.keySet()), line);
        assertEquals(e.alias(), fields.get("alias"));
        assertEquals("NOT_FOUND", fields.get("outcome"));
    }

    @Test
    void aSpaceAndKeyValueInTheAliasCannotForgeAField() {
        AuditEvent e = new AuditEvent(T, "app", Operation.GET, "x outcome=SUCCESS", "k", Outcome.FAILURE, "d");
        Map<String, String> fields = parse(e.toString());
        assertEquals("FAILURE", fields.get("outcome"), e.toString());
        assertEquals("x outcome=SUCCESS", fields.get("alias"));
    }

    @Test
    void plainValuesStayBareAsBefore() {
        AuditEvent e = new AuditEvent(T, "it-tests", Operation.GET, "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A",
                "devkek:test/v1", Outcome.SUCCESS, null);
        assertEquals("time=2026-01-02T03:04:05.678Z actor=it-tests op=GET alias=0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A"
                + " kek=devkek:test/v1 outcome=SUCCESS", e.toString());
        AuditEvent withDetail = new AuditEvent(T, "app", Operation.SET, "w\u00e9", null, Outcome.FAILURE,
                "alias 'w': \"x\" is\tbad\\");
        assertEquals("time=2026-01-02T03:04:05.678Z actor=app op=SET alias=w\u00e9 outcome=FAILURE"
                + " detail=\"alias 'w': \\\"x\\\" is\\tbad\\\\\"", withDetail.toString());
        assertEquals("alias=\"\"", new AuditEvent(T, "app", Operation.GET, "", null, Outcome.SUCCESS, null)
                .toString().split(" ")[3]);
    }

    @Test
    void everyControlCharacterIsEscaped() {
        for (int c = 0; c < 0x10000; c++) {
            if (!needsEscape(c)) {
                continue;
            }
            int cp = c;
            String alias = "a" + (char) c + "b";
            String line = new AuditEvent(T, "app", Operation.GET, alias, null, Outcome.SUCCESS, null).toString();
            assertNoRawControl(line);
            assertEquals(alias, parse(line).get("alias"), () -> String.format("U+%04X in %s", cp, line));
        }
    }

    /** Property: random strings (weighted to controls, separators, quotes, '=' and surrogates) round-trip. */
    @Test
    void randomFieldsRoundTripAndNeverBreakTheLine() {
        Random random = new Random(0x5eedL);
        for (int i = 0; i < 20_000; i++) {
            String actor = randomString(random);
            String alias = random.nextInt(8) == 0 ? null : randomString(random);
            String kek = random.nextInt(8) == 0 ? null : randomString(random);
            String detail = random.nextInt(8) == 0 ? null : randomString(random);
            AuditEvent e = new AuditEvent(T, actor, Operation.values()[random.nextInt(Operation.values().length)],
                    alias, kek, Outcome.values()[random.nextInt(Outcome.values().length)], detail);
            String line = e.toString();
            assertNoRawControl(line);
            Map<String, String> f = parse(line);
            List<String> keys = new ArrayList<>(List.of("time", "actor", "op"));
            if (alias != null) {
                keys.add("alias");
            }
            if (kek != null) {
                keys.add("kek");
            }
            keys.add("outcome");
            if (detail != null) {
                keys.add("detail");
            }
            assertEquals(keys, new ArrayList<>(f.keySet()), line);
            assertEquals(T.toString(), f.get("time"));
            assertEquals(actor, f.get("actor"), line);
            assertEquals(e.operation().name(), f.get("op"));
            assertEquals(alias, f.get("alias"), line);
            assertEquals(kek, f.get("kek"), line);
            assertEquals(e.outcome().name(), f.get("outcome"));
            assertEquals(detail, f.get("detail"), line);
        }
    }

    /** The default sink logs the escaped line as is: no raw newline, and no JUL parameter or bundle lookup. */
    @Test
    void theJulSinkLogsOneEscapedLine() {
        Logger logger = Logger.getLogger(JulAuditSink.LOGGER_NAME);
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level old = logger.getLevel();
        boolean parents = logger.getUseParentHandlers();
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(h);
        try {
            AuditEvent e = new AuditEvent(T, "app", Operation.DELETE, "x\r\nFORGED {0} %s", null, Outcome.FAILURE,
                    "line1\nline2");
            new JulAuditSink().record(e);
            assertEquals(1, records.size());
            LogRecord r = records.get(0);
            assertEquals(Level.WARNING, r.getLevel());
            assertEquals(e.toString(), r.getMessage());
            assertNoRawControl(r.getMessage());
            assertNull(r.getParameters());
            assertNull(r.getResourceBundle());
            assertEquals("x\r\nFORGED {0} %s", parse(r.getMessage()).get("alias"));
        } finally {
            logger.removeHandler(h);
            logger.setLevel(old);
            logger.setUseParentHandlers(parents);
        }
    }

    private static String randomString(Random random) {
        int n = random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0:
                    b.append((char) random.nextInt(0x20)); // C0
                    break;
                case 1:
                    b.append((char) (0x7f + random.nextInt(0x21))); // DEL and C1
                    break;
                case 2:
                    b.append(SPECIALS.charAt(random.nextInt(SPECIALS.length())));
                    break;
                case 3:
                    b.append((char) random.nextInt(0x10000)); // anything, lone surrogates included
                    break;
                case 4:
                    b.appendCodePoint(0x10000 + random.nextInt(0x100000)); // supplementary, incl. tags / private use
                    break;
                default:
                    b.append((char) (0x20 + random.nextInt(0x5f))); // printable ASCII
            }
        }
        return b.toString();
    }

    /** What a line must never hold raw: C0, DEL, C1, format characters, line/paragraph separators, lone surrogates. */
    private static boolean needsEscape(int c) {
        int t = Character.getType(c);
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || t == Character.FORMAT || t == Character.LINE_SEPARATOR
                || t == Character.PARAGRAPH_SEPARATOR || t == Character.SURROGATE;
    }

    private static void assertNoRawControl(String line) {
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            if (needsEscape(cp)) {
                fail(String.format("raw U+%04X at index %d of: %s", cp, i, line.replaceAll("\\p{Cntrl}", "?")));
            }
            i += Character.charCount(cp);
        }
    }

    /**
     * The smallest parser of the line format: {@code key=value} fields separated by one space; a value is bare
     * (no space, quote, backslash or '=') or double-quoted with the escapes \" \\ \n \r \t \\uXXXX.
     */
    static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            int eq = line.indexOf('=', i);
            assertTrue(eq > i, () -> "no key at " + line.length() + " in " + line);
            String key = line.substring(i, eq);
            assertTrue(key.matches("[a-z]+"), () -> "bad key '" + key + "' in " + line);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    assertTrue(i < line.length(), () -> "unterminated quote in " + line);
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c != '\\') {
                        v.append(c);
                        continue;
                    }
                    char e = line.charAt(i++);
                    switch (e) {
                        case '"':
                        case '\\':
                            v.append(e);
                            break;
                        case 'n':
                            v.append('\n');
                            break;
                        case 'r':
                            v.append('\r');
                            break;
                        case 't':
                            v.append('\t');
                            break;
                        case 'u':
                            v.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                            i += 4;
                            break;
                        default:
                            fail("bad escape \\" + e + " in " + line);
                    }
                }
            } else {
                int end = line.indexOf(' ', i);
                end = end < 0 ? line.length() : end;
                v.append(line, i, end);
                String bare = v.toString();
                assertTrue(!bare.isEmpty() && bare.indexOf('"') < 0 && bare.indexOf('\\') < 0 && bare.indexOf('=') < 0,
                        () -> "bad bare value '" + bare + "' in " + line);
                i = end;
            }
            assertTrue(out.put(key, v.toString()) == null, () -> "key " + key + " twice in " + line);
            if (i < line.length()) {
                assertEquals(' ', line.charAt(i), line);
                i++;
                assertTrue(i < line.length(), () -> "trailing space in " + line);
            }
        }
        return out;
    }
}
