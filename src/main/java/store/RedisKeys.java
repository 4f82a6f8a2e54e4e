package store;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Redis key the service uses, built here and nowhere else. Redis holds the waiting lists (the source of truth
 * for them), the promotion requests and turns, the subscriptions, and a cache of answers (never the source of
 * truth). Every key starts with the store prefix ({@code STORE_PREFIX}), so several deployments can share one
 * Redis. A Lua script (src/main/resources/lua/) gets every key it touches in KEYS, built by these methods: Redis
 * Cluster and the script cache need the keys declared, and a script never assembles one.
 *
 * <pre>
 * key (after the prefix)             type    what it holds                          written by                   TTL
 * ---------------------------------  ------  -------------------------------------  ---------------------------  -----------
 * waiting lists (enrollment/Waitlists; docs/api.md "Waiting lists")
 * wl:{class}                         zset    student id -> arrival number           join-, leave-waitlist,       none
 *                                                                                    begin-, end-promotion.lua
 * wl-seq                             string  the last arrival number (INCR)         join-waitlist.lua            none
 * wls:{student}                      set     the class ids whose lists hold them    same as wl:{class}           none
 * classes-waiting                    set     class ids with a non-empty list        same as wl:{class}           none
 * names                              hash    student id -> name, for the lists      join-waitlist.lua            none
 * held                               set     student ids with a hold (promotions    routes place-hold (SADD),    none
 *                                            pass them over), a copy of DynamoDB     lift-hold (SREM)
 * wl-swaps:{class}                   hash    student id -> the class id they drop   join-, leave-waitlist,       none
 *                                            when they take this one (a swap)       end-promotion.lua
 * promotions (enrollment/PromotionRequests, PromotionsInFlight; routes/AutoEnrollmentRoutes)
 * promoting:{class}                  hash    student id -> "arrival:startedMillis"  begin-, end-promotion.lua    none
 * classes-promoting                  set     class ids with promotions in flight    begin-, end-promotion.lua    none
 * promotion-requests                 zset    class id -> when due (epoch ms)        request-, take-, end-        none
 *                                                                                    promotion-turn.lua
 * promotion-request-versions         hash    class id -> requests since fulfilled   request-, end-promotion-turn none
 * promote-turn:{class}               string  the holder's random token              take-promotion-turn.lua,     the lease
 *                                                                                    renewed by lib.lua hold_turn (promotion.lease)
 * answer cache (enrollment/ClassViews; lib.lua says how Last-Modified moves)
 * wl-version:{class}                 string  the list's version (the instructor's   lib.lua waitlist_changed     none
 *                                            ETag)
 * wl-modified:{class}                string  the list's Last-Modified (epoch s)     lib.lua waitlist_changed     none
 * wl-modified-seen:{class}           string  "1" once a reader was sent it          waitlist-position,           none
 *                                                                                    -validators.lua
 * class-modified:{class}             string  the class's Last-Modified (epoch s)    class-changed, store-class-  none
 *                                                                                    view.lua, waitlist_changed
 * class-modified-seen:{class}        string  "1" once a reader was sent it          class-view, store-class-view none
 * class-view:{class}                 hash    body, etag, modified: the registrar's  store-class-view.lua         300 s
 *                                            cached answer
 * class-owner:{class}                string  the instructor id                      ClassViews.owner             300 s
 * class-hold:{class}                 string  "1": no caching just after a change    class-changed.lua            5 s
 * listing-version                    string  the class listing's version           class-changed.lua,           none
 *                                                                                    waitlist_changed
 * listing                            string  "version\n" + the students' listing    store-class-listing.lua      300 s
 * subscriptions (notify/Subscriptions; docs/api.md "Subscriptions")
 * sub:{student}:{class}              hash    studentId, classId, email,             subscribe, rotate-secret     none
 *                                            callbackUrl, secret, previousSecrets,  .lua, Subscriptions
 *                                            webhookDisabled                        .disableWebhook
 * subs-of-student:{student}          set     class ids                              subscribe-, unsubscribe.lua  none
 * subs-of-class:{class}              set     student ids                            subscribe-, unsubscribe.lua  none
 * deliveries (notify/Deliveries, Parking, DeadLetters, Replays through DeliveryScripts; docs/api.md "Delivery";
 * {target} is a delivery's destination: a webhook's callback URL, or smtp-relay for every email)
 * deliveries                         hash    delivery id -> pending delivery (JSON,  accept-delivery, begin-      none
 *                                            its attempt count)                     attempt, attempt-failed,
 *                                                                                    replay-dead-letter.lua
 * retry-schedule                     zset    delivery id -> when due (epoch ms):    the delivery scripts,        none
 *                                            every pending delivery's safety net    Deliveries.postpone
 * delivered:{delivery}               string  "1": the delivery succeeded (a         attempt-succeeded.lua        30 days
 *                                            redelivered message is skipped)
 * attempting:{delivery}              string  "1": the lock of the attempt in flight begin-attempt.lua            the lease (60 s)
 * circuit:{target}                   hash    failures, open_until (epoch ms)        attempt-failed, -succeeded   1 day idle
 * circuit-probe:{target}             string  the delivery probing a half-open       begin-attempt.lua            20 s
 *                                            circuit
 * parked:{target}                    zset    delivery id -> when parked (epoch ms)  park-, unpark-deliveries.lua 1 day idle
 * dead-letters                       hash    id -> dead letter (JSON): deliveries   DeadLetters.add,             none
 *                                            that failed for good, messages that    addUnreadable; replay-dead-
 *                                            were no event                          letter.lua
 * </pre>
 *
 * @param prefix the prefix of every key ({@code STORE_PREFIX}, e.g. {@code "enroll:"}; may be empty)
 */
public record RedisKeys(String prefix) {

    // waiting lists

    /** @return the class's waiting list: a sorted set of student ids by arrival number */
    public String waitlist(long classId) {
        return key("wl:" + classId);
    }

    /** @return the arrival counter of every list (a string INCRed per join) */
    public String arrivals() {
        return key("wl-seq");
    }

    /** @return the set of class ids whose lists the student is on */
    public String listsOf(long studentId) {
        return key("wls:" + studentId);
    }

    /** @return the set of class ids that have a non-empty waiting list */
    public String classesWaiting() {
        return key("classes-waiting");
    }

    /** @return the hash of student id to the name shown on the lists */
    public String studentNames() {
        return key("names");
    }

    /** @return the hash of student id to the class they drop when a seat of this class comes (docs/api.md "Swaps") */
    public String swaps(long classId) {
        return key("wl-swaps:" + classId);
    }

    /** @return the set of student ids with a hold, whom promotions pass over */
    public String heldStudents() {
        return key("held");
    }

    // promotions

    /** @return the class's in-flight promotions: a hash of student id to {@code "arrival:startedMillis"} */
    public String promoting(long classId) {
        return key("promoting:" + classId);
    }

    /** @return the set of class ids with promotions in flight */
    public String classesPromoting() {
        return key("classes-promoting");
    }

    /** @return the promotion requests: a sorted set of class ids by when they are due (epoch ms) */
    public String promotionRequests() {
        return key("promotion-requests");
    }

    /** @return the hash of class id to the requests made since its last one was fulfilled */
    public String promotionRequestVersions() {
        return key("promotion-request-versions");
    }

    /** @return the class's promotion turn: its holder's token, expiring with the lease */
    public String promotionTurn(long classId) {
        return key("promote-turn:" + classId);
    }

    // answer cache

    /** @return the version of the class's list (a counter) */
    public String waitlistVersion(long classId) {
        return key("wl-version:" + classId);
    }

    /** @return the Last-Modified second of the class's list */
    public String waitlistModified(long classId) {
        return key("wl-modified:" + classId);
    }

    /** @return the flag set once a reader was sent the list's Last-Modified second */
    public String waitlistModifiedSeen(long classId) {
        return key("wl-modified-seen:" + classId);
    }

    /** @return the Last-Modified second of the class */
    public String classModified(long classId) {
        return key("class-modified:" + classId);
    }

    /** @return the flag set once a reader was sent the class's Last-Modified second */
    public String classModifiedSeen(long classId) {
        return key("class-modified-seen:" + classId);
    }

    /** @return the cached registrar answer of the class: a hash of body, etag and modified */
    public String classView(long classId) {
        return key("class-view:" + classId);
    }

    /** @return the cached instructor id of the class */
    public String classOwner(long classId) {
        return key("class-owner:" + classId);
    }

    /** @return the hold that keeps a class's answer out of the cache just after a change */
    public String classHold(long classId) {
        return key("class-hold:" + classId);
    }

    /** @return the version of the students' class listing (a counter) */
    public String listingVersion() {
        return key("listing-version");
    }

    /** @return the cached class listing, {@code "version\n"} followed by the JSON answer */
    public String listing() {
        return key("listing");
    }

    /**
     * The keys a change of a class's waiting list updates, in the order lib.lua's {@code waitlist_changed} takes
     * them: list version, list Last-Modified, its seen flag, class Last-Modified, its seen flag, cached class
     * answer, class listing version.
     *
     * @param classId the class
     * @return the seven keys
     */
    public List<String> waitlistChange(long classId) {
        return List.of(waitlistVersion(classId), waitlistModified(classId), waitlistModifiedSeen(classId),
                classModified(classId), classModifiedSeen(classId), classView(classId), listingVersion());
    }

    /**
     * The keys of a script that changes a class's waiting list: its own, then the {@link #waitlistChange} keys.
     *
     * @param classId the class whose list the script changes
     * @param scriptKeys the script's own keys, in the order its KEYS takes them
     * @return all of them, in a list the caller may add to
     */
    public List<String> withWaitlistChange(long classId, String... scriptKeys) {
        List<String> all = new ArrayList<>(List.of(scriptKeys));
        all.addAll(waitlistChange(classId));
        return all;
    }

    // subscriptions

    /** @return the student's subscription to the class, a hash */
    public String subscription(long studentId, long classId) {
        return key("sub:" + studentId + ":" + classId);
    }

    /** @return the set of class ids the student is subscribed to */
    public String subscriptionsOfStudent(long studentId) {
        return key("subs-of-student:" + studentId);
    }

    /** @return the set of student ids subscribed to the class */
    public String subscribersOfClass(long classId) {
        return key("subs-of-class:" + classId);
    }

    // deliveries

    /** @return the hash of pending deliveries, by delivery id */
    public String deliveries() {
        return key("deliveries");
    }

    /** @return the sorted set of pending delivery ids by due time (epoch ms) */
    public String retrySchedule() {
        return key("retry-schedule");
    }

    /** @return the marker of a delivery that succeeded */
    public String delivered(String deliveryId) {
        return key("delivered:" + deliveryId);
    }

    /** @return the lock of a delivery's attempt in flight */
    public String attempting(String deliveryId) {
        return key("attempting:" + deliveryId);
    }

    /** @return the circuit of a destination (hash: failures, open_until) */
    public String circuit(String target) {
        return key("circuit:" + target);
    }

    /** @return the lock of the attempt probing a destination's half-open circuit */
    public String circuitProbe(String target) {
        return key("circuit-probe:" + target);
    }

    /** @return a destination's parking: delivery ids by when they were parked (epoch ms) */
    public String parked(String target) {
        return key("parked:" + target);
    }

    /** @return the hash of dead letters, by id */
    public String deadLetters() {
        return key("dead-letters");
    }

    private String key(String name) {
        return prefix + name;
    }
}
