package store;

/**
 * Stored data read with its validators, what a conditional GET (RFC 9110 13.1) answers with: the version of the
 * data as a strong entity tag and when it last changed, kept beside the data in Redis (enrollment/ClassViews; the
 * keys in {@link RedisKeys}). Declared in this low package so that the HTTP side (api/Conditional) reads the
 * validators without depending on the gateway that reads them.
 */
public interface Versioned {

    /** @return the data as answered, or null when only the validators were read (the answer is built for a 200) */
    Object body();

    /** @return the strong entity tag (ETag), quoted */
    String etag();

    /** @return the Last-Modified to send, seconds since the epoch, never later than now */
    long lastModifiedSecond();

    /**
     * @return the stored Last-Modified, seconds since the epoch, that If-Modified-Since is compared with: the one
     *     sent, or later when the stored one is not yet due (lib.lua)
     */
    long storedModifiedSecond();
}
