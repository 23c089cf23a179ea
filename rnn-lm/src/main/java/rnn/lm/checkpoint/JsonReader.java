package rnn.lm.checkpoint;

import java.util.function.Supplier;

/**
 * A strict RFC 8259 cursor over a header that was already decoded as UTF-8. It has no generic
 * "parse any value" entry: the caller walks the one shape a safetensors header may have and refuses
 * anything else at its first character. Nesting is therefore fixed at three levels (header object,
 * tensor object, shape array), hostile nesting cannot reach the stack, and no value is ever built
 * except the strings and integers the schema asks for — all bounded by the header's length.
 */
final class JsonReader {

    private final String text;
    private final String source;
    private int pos;

    JsonReader(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** A syntax error at the current position. */
    CheckpointException syntax(String what) {
        return new CheckpointException(source + ": header is not valid JSON: " + what + " at character " + pos);
    }

    /** A well-formed header that is not what safetensors allows. */
    CheckpointException invalid(String what) {
        return new CheckpointException(source + ": " + what);
    }

    void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** After whitespace: consumes {@code c} if it is next. */
    boolean consume(char c) {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) throws CheckpointException {
        if (!consume(c)) {
            throw syntax("expected '" + c + "' but found " + nextKind());
        }
    }

    boolean atEnd() {
        skipWhitespace();
        return pos >= text.length();
    }

    /** After whitespace: what the next value is, for messages ("a number", "an array", ...). */
    String nextKind() {
        skipWhitespace();
        if (pos >= text.length()) {
            return "the end of the header";
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '"' -> "a string";
            case '{' -> "an object";
            case '[' -> "an array";
            case 't' -> "true";
            case 'f' -> "false";
            case 'n' -> "null";
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "a number";
            default -> JsonWriter.display(String.valueOf(c));
        };
    }

    boolean nextIs(char c) {
        skipWhitespace();
        return pos < text.length() && text.charAt(pos) == c;
    }

    String readString() throws CheckpointException {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw syntax("unterminated string");
            }
            int run = pos;
            while (run < text.length() && text.charAt(run) != '"' && text.charAt(run) != '\\' && text.charAt(run) >= 0x20) {
                run++;
            }
            b.append(text, pos, run); // plain characters in one copy: names and metadata may be megabytes
            pos = run;
            if (pos >= text.length()) {
                throw syntax("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw syntax("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (pos >= text.length()) {
                throw syntax("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isLowSurrogate(u)) {
                        throw syntax("unpaired surrogate escape \\u" + String.format("%04X", (int) u));
                    }
                    if (Character.isHighSurrogate(u)) {
                        // Strings become Java strings and map keys; an unpaired half would not round-trip.
                        if (!text.startsWith("\\u", pos)) {
                            throw syntax("unpaired surrogate escape \\u" + String.format("%04X", (int) u));
                        }
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw syntax("unpaired surrogate escape \\u" + String.format("%04X", (int) u));
                        }
                        b.append(u).append(low);
                    } else {
                        b.append(u);
                    }
                }
                default -> throw syntax("invalid escape " + JsonWriter.display("\\" + e));
            }
        }
    }

    private char hex4() throws CheckpointException {
        if (pos + 4 > text.length()) {
            throw syntax("incomplete \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
            if (d < 0 || text.charAt(pos) > 'f') {
                throw syntax("invalid hex digit in \\u escape");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    /**
     * Reads a JSON number that must be a non-negative integer no larger than {@code max}. Malformed
     * numbers are syntax errors; fractions, exponents, signs and excess are reported as {@code what} (built only then).
     */
    long readNonNegativeInteger(Supplier<String> what, long max) throws CheckpointException {
        skipWhitespace();
        int start = pos;
        boolean integral = true;
        if (pos < text.length() && text.charAt(pos) == '-') {
            integral = false;
            pos++;
        }
        if (start == pos && (pos >= text.length() || !isDigit(text.charAt(pos)))) {
            throw invalid(what.get() + " must be a non-negative integer, found " + nextKind());
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw syntax("expected a digit after '-'");
        }
        if (text.charAt(pos) == '0') {
            pos++;
            if (pos < text.length() && isDigit(text.charAt(pos))) {
                throw syntax("number with a leading zero");
            }
        } else {
            skipDigits();
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw syntax("expected a digit after the decimal point");
            }
            skipDigits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw syntax("expected a digit in the exponent");
            }
            skipDigits();
        }
        if (!integral) {
            throw invalid(what.get() + " must be a non-negative integer, found " + token(start));
        }
        long v = 0;
        for (int i = start; i < pos; i++) {
            int d = text.charAt(i) - '0';
            if (v > Math.floorDiv(max - d, 10)) {
                throw invalid(what.get() + " is too large: " + token(start) + " (at most " + max + ")");
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** The number just read, shortened for a message. */
    private String token(int start) {
        return pos - start > 30 ? text.substring(start, start + 27) + "..." : text.substring(start, pos);
    }

    private void skipDigits() {
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
