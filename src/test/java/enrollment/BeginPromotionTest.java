package enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;
import store.RedisKeys;
import support.RunningService;

/**
 * begin-promotion.lua gets every key it writes in KEYS, the lists-of-student set of the student it moves included:
 * the caller reads the list first, and a student who joined after that read (the first without a hold) is not moved
 * until the list is read again, so their set of lists never keeps a class whose list they left.
 */
class BeginPromotionTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    static Waitlists waitlists;
    static PromotionsInFlight promotionsInFlight;
    static StringRedisTemplate redis;
    static RedisKeys keys;

    @BeforeAll
    static void lookUpBeans() {
        waitlists = running.service.camelContext().getRegistry().lookupByNameAndType("waitlists", Waitlists.class);
        promotionsInFlight = running.service.camelContext().getRegistry().lookupByNameAndType("promotionsInFlight",
                PromotionsInFlight.class);
        redis = running.service.camelContext().getRegistry().lookupByNameAndType("redisTemplate",
                StringRedisTemplate.class);
        keys = new RedisKeys(running.service.settings().storePrefix());
    }

    @Test
    void aStudentWhoJoinedAfterTheListWasReadIsMovedOnlyOnceTheListIsReadAgain() {
        long classId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        long held = classId + 1;
        long joiner = classId + 2;
        waitlists.join(classId, held, "Held Student");
        redis.opsForSet().add(keys.heldStudents(), Long.toString(held));  // as route place-hold does
        List<Long> read = waitlists.students(classId);
        waitlists.join(classId, joiner, "Late Joiner");
        String holder = holdTurn(classId);

        assertThat(promotionsInFlight.beginPromotion(classId, holder, 10_000, Set.of(), read))
                .containsExactly("unread");
        assertThat(waitlists.students(classId)).containsExactly(held, joiner);
        assertThat(waitlists.classesOf(joiner)).containsExactly(classId);
        assertThat(promotionsInFlight.inFlight(classId)).isEmpty();

        assertThat(promotionsInFlight.beginPromotion(classId, holder, 10_000, Set.of(), waitlists.students(classId))
                .get(0)).hasToString(Long.toString(joiner));
        assertThat(waitlists.students(classId)).containsExactly(held);
        assertThat(waitlists.classesOf(joiner)).isEmpty();
        assertThat(waitlists.classesOf(held)).containsExactly(classId);
        assertThat(promotionsInFlight.inFlight(classId)).extracting(PromotionsInFlight.Promotion::studentId)
                .containsExactly(joiner);

        redis.opsForSet().remove(keys.heldStudents(), Long.toString(held));  // as route lift-hold does
        promotionsInFlight.discard(promotionsInFlight.inFlight(classId).get(0));
        waitlists.clear(classId);
    }

    @Test
    void theGatewayReadsTheListAgainAndMovesTheFirstStudentWithoutAHold() {
        long classId = ThreadLocalRandom.current().nextLong(2_000_000_000L, 3_000_000_000L);
        long held = classId + 1;
        long next = classId + 2;
        waitlists.join(classId, held, "Held Student");
        waitlists.join(classId, next, "Next Student");
        redis.opsForSet().add(keys.heldStudents(), Long.toString(held));  // as route place-hold does
        String holder = holdTurn(classId);

        PromotionsInFlight.Promotion promotion = promotionsInFlight.beginPromotion(
                new PromotionRequests.Turn(classId, holder, 1, 10_000), Set.of());

        assertThat(promotion).isEqualTo(new PromotionsInFlight.Promotion(classId, next, "Next Student"));
        assertThat(waitlists.classesOf(next)).isEmpty();
        assertThat(waitlists.position(classId, held)).isEqualTo(1);

        redis.opsForSet().remove(keys.heldStudents(), Long.toString(held));  // as route lift-hold does
        promotionsInFlight.discard(promotion);
        waitlists.clear(classId);
    }

    /** Takes the class's promotion turn as take-promotion-turn.lua does: a requested class, a token with a lease. */
    private static String holdTurn(long classId) {
        String holder = "test-" + classId;
        redis.opsForZSet().add(keys.promotionRequests(), Long.toString(classId), System.currentTimeMillis());
        redis.opsForValue().set(keys.promotionTurn(classId), holder, Duration.ofSeconds(10));
        return holder;
    }
}
