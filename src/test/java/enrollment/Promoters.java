package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;
import support.Background;

/**
 * The promoters' state in Redis as the tests of promotions read it, and what a crashed promoter leaves behind there,
 * written the way the service writes it (the key names come from {@link RedisKeys}).
 */
final class Promoters {

    private final Supplier<EnrollmentService> service;

    /**
     * @param service an instance of the service (any: they share the stores), asked for at each use: a test class's
     *     instance starts after its static fields are set
     */
    Promoters(Supplier<EnrollmentService> service) {
        this.service = service;
    }

    /** Whether a promotion of the class is requested (and not concluded by a holder of its turn). */
    boolean requested(long classId) {
        return redis().opsForZSet().score(keys().promotionRequests(), Long.toString(classId)) != null;
    }

    /**
     * Waits until the promoters concluded every promotion requested for the class and none is in flight: what they
     * were going to do (or, frozen, not do) is done, so a check that nothing moved can no longer be early.
     */
    void awaitSettled(long classId) {
        Background.eventually(() -> {
            assertThat(requested(classId)).as("a promotion of class %d is requested", classId).isFalse();
            assertThat(promotionsInFlight().inFlight(classId)).as("promotions of class %d in flight", classId)
                    .isEmpty();
        });
    }

    /**
     * What an instance killed while it held the class's promotion turn leaves: the turn's key holding that holder's
     * token, lapsing when the lease it last renewed runs out.
     *
     * @param classId the class
     * @param leaseLeft how long the dead holder's lease still runs
     * @return the dead holder's turn, to run the steps it made before it died
     */
    PromotionRequests.Turn crashedHolder(long classId, Duration leaseLeft) {
        String token = "crashed-" + UUID.randomUUID();
        redis().opsForValue().set(keys().promotionTurn(classId), token, leaseLeft);
        return new PromotionRequests.Turn(classId, token, 1, leaseLeft.toMillis());
    }

    private StringRedisTemplate redis() {
        return service.get().camelContext().getRegistry().lookupByNameAndType("redisTemplate",
                StringRedisTemplate.class);
    }

    private PromotionsInFlight promotionsInFlight() {
        return service.get().camelContext().getRegistry().lookupByNameAndType("promotionsInFlight",
                PromotionsInFlight.class);
    }

    private RedisKeys keys() {
        return new RedisKeys(service.get().settings().storePrefix());
    }
}
