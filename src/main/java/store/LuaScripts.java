package store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Redis Lua scripts under src/main/resources/lua/, each one atomic multi-key step. lib.lua is prepended to
 * each, so the helpers it defines are written once.
 */
public final class LuaScripts {

    private static final String LIB = read("lib");

    private LuaScripts() {
    }

    public static <T> RedisScript<T> load(String name, Class<T> result) {
        return new DefaultRedisScript<>(LIB + "\n" + read(name), result);
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
