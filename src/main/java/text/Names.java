package text;

import java.text.Normalizer;

/**
 * The one check of the names and titles people read (a user's name, a class's department, course code and
 * title), as docs/api.md "Errors" asks: text that shows what it says in rosters and emails. Names are kept in Unicode
 * normalization form C (UAX #15), so the same name typed on two keyboards is stored once, the same way.
 */
public final class Names {

    private Names() {
    }

    /**
     * The name in NFC, or an {@link IllegalArgumentException} whose message is written for the client. Refused:
     * null, more than {@code max} UTF-16 units, control characters (Cc), line and paragraph separators, lone
     * surrogates, unassigned code points, the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
     * U+2066-U+2069, which make a name read backwards, UTS #39), and names with nothing visible (only spaces,
     * zero-width or other format characters, fillers).
     *
     * @param field the field's name in the request, for the message
     * @throws IllegalArgumentException when the name is refused
     */
    public static String require(String field, String value, int max) {
        String name = value == null ? null : Normalizer.normalize(value, Normalizer.Form.NFC);
        if (name == null || name.length() > max || !name.codePoints().allMatch(Names::allowed)
                || name.codePoints().noneMatch(Names::visible)) {
            throw new IllegalArgumentException(field + " must be 1 to " + max + " characters, something visible, "
                    + "without control characters or bidirectional overrides");
        }
        return name;
    }

    private static boolean allowed(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.CONTROL && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE && type != Character.UNASSIGNED
                && !(codePoint >= 0x202A && codePoint <= 0x202E) && !(codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    /** A letter, digit, punctuation mark or symbol, except the Hangul fillers that are letters drawn as nothing. */
    private static boolean visible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL, Character.PRIVATE_USE ->
                    codePoint != 0x115F && codePoint != 0x1160 && codePoint != 0x3164 && codePoint != 0xFFA0;
            default -> false;
        };
    }
}
