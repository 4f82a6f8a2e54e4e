package store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Redis Lua scripts under src/main/resources/lua/, each one atomic multi-key step. lib.lua is prepended to
 * each, so the helpers it defines are written once. A gateway calls each script through one method of its own whose
 * parameters name the script's ARGV, and passes every key the script touches in KEYS ({@link RedisKeys}).
 */
public final class LuaScripts {

    private static final String LIB = read("lib");

    private LuaScripts() {
    }

    /**
     * @param name the script's file name under lua/, without {@code .lua}
     * @param result what the script returns: {@code Long} for a number, {@code String}, or {@code List}
     * @return the script with lib.lua before it, for {@code StringRedisTemplate.execute}
     * @throws IllegalStateException when there is no such script
     */
    public static <T> RedisScript<T> load(String name, Class<T> result) {
        return new DefaultRedisScript<>(LIB + "\n" + read(name), result);
    }

    /**
     * @return now, milliseconds since the epoch as a script argument: the clock the answers' Date is read from too
     */
    public static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    /**
     * @param id a class or student id
     * @return the id as a script argument (and as a member of the sets and hashes the scripts keep)
     */
    public static String id(long id) {
        return Long.toString(id);
    }

    private static String read(String name) {
        try (InputStream in = Objects.requireNonNull(LuaScripts.class.getResourceAsStream("/lua/" + name + ".lua"),
                name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("missing Lua script " + name, e);
        }
    }
}
