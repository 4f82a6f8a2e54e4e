package routes;

import enrollment.PromotionRequests.Turn;
import java.util.HashSet;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * What a promoter carries through route {@code promote} (one exchange property, {@link #PROPERTY}): the class's turn
 * it holds, and the students its current pass has passed over because they fail the registration rules (they keep
 * their place; the pass moves on to the next student).
 */
final class PromoterPass {

    static final String PROPERTY = "promoterPass";

    private Turn turn;
    private final Set<Long> passedOver = new HashSet<>();

    /** @param turn the turn taken, or null when another holder has it */
    PromoterPass(Turn turn) {
        this.turn = turn;
    }

    static PromoterPass of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, PromoterPass.class);
    }

    /** @return the turn held, or null once it is concluded or lost */
    Turn turn() {
        return turn;
    }

    boolean holdsTurn() {
        return turn != null;
    }

    /** @param next the turn as renewed for another pass, or null when the promoter is done */
    void next(Turn next) {
        turn = next;
        passedOver.clear();
    }

    /** @return the ids of the students this pass has passed over */
    Set<Long> passedOver() {
        return passedOver;
    }

    void passOver(long studentId) {
        passedOver.add(studentId);
    }
}
