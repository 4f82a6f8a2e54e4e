package store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The credentials of a store URL's user-info part ({@code user:password@}, RFC 3986 §3.2.1), percent-decoded
 * after splitting, so a password may hold {@code :}, {@code @} or {@code /} written as {@code %3A}, {@code %40},
 * {@code %2F}. A {@code +} stays a plus (it means a space only in form encoding).
 *
 * @param user the user name, or null when the URL has none (or only a password)
 * @param password the password, or null when the URL has none
 */
record UserInfo(String user, String password) {

    static UserInfo of(URI url) {
        String raw = url.getRawUserInfo();
        if (raw == null) {
            return new UserInfo(null, null);
        }
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return new UserInfo(decode(raw), null);
        }
        String user = raw.substring(0, colon);
        return new UserInfo(user.isEmpty() ? null : decode(user), decode(raw.substring(colon + 1)));
    }

    /** A percent-encoded URL path segment (a virtual host such as {@code %2F}), decoded. */
    static String decodePath(String segment) {
        return decode(segment);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
