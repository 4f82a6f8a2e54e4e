package routes;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import enrollment.AutoEnrollment;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.Offers;
import enrollment.PromotionRequests;
import enrollment.PromotionRequests.Turn;
import enrollment.WaitlistMode;
import enrollment.Waitlists;
import enrollment.Waitlists.Promotion;
import event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import notify.Events;
import notify.Subscriptions;
import org.apache.camel.spi.Registry;

/**
 * Test doubles of the gateways the promotion flows call, over one class's state held in memory: what the Lua scripts
 * (request-promotion, take-promotion-turn, end-promotion-turn, begin-promotion, end-promotion) and the DynamoDB seat
 * transactions (enrollment/Enrollments, enrollment/Offers) do to it, as enrollment/PromotionRequests and
 * enrollment/Waitlists describe them. {@link #bind} puts them in a route test's registry, where
 * {@code @BeanInject} finds them by type. One class, capacity given, students waiting with no holds.
 */
final class PromotionStores {

    final long classId;
    private final int capacity;
    private String mode = WaitlistMode.AUTO;

    // DynamoDB: the class row (null once removed), its enrolled students and open offers, in the order seated
    private boolean classExists = true;
    final Set<Long> enrolled = new LinkedHashSet<>();
    final Set<Long> offered = new LinkedHashSet<>();
    private boolean frozen;
    // Redis: the waiting list, the promotions in flight, the request and the turn
    final List<Long> waiting = new ArrayList<>();
    final Map<Long, Promotion> inFlight = new LinkedHashMap<>();
    private long requestVersion;  // 0: no request
    private String turnHolder;
    private long turnLapsesAt;
    /** How many more enrollments fail as a store error would, after the student left the list. */
    final AtomicInteger enrollFailures = new AtomicInteger();

    final PromotionRequests promotionRequests = mock(PromotionRequests.class);
    final Waitlists waitlists = mock(Waitlists.class);
    final AutoEnrollment autoEnrollment = mock(AutoEnrollment.class);
    final Classes classes = mock(Classes.class);
    final Enrollments enrollments = mock(Enrollments.class);
    final Offers offers = mock(Offers.class);
    final ClassViews classViews = mock(ClassViews.class);
    final Events events = new Events(mock(Subscriptions.class));

    /**
     * @param classId the class
     * @param capacity its seats
     */
    PromotionStores(long classId, int capacity) {
        this.classId = classId;
        this.capacity = capacity;
        when(promotionRequests.request(anyLong())).thenAnswer(call -> request());
        when(promotionRequests.take(anyLong(), anyLong())).thenAnswer(call -> take(call.getArgument(1)));
        when(promotionRequests.conclude(any())).thenAnswer(call -> conclude(call.getArgument(0)));
        when(promotionRequests.due(anyInt())).thenAnswer(call -> due());
        when(waitlists.inFlight(anyLong())).thenAnswer(call -> inFlight());
        when(waitlists.beginPromotion(any())).thenAnswer(call -> begin(call.getArgument(0)));
        doAnswer(call -> end(call.getArgument(0), false)).when(waitlists).commit(any());
        doAnswer(call -> end(call.getArgument(0), true)).when(waitlists).restore(any());
        doAnswer(call -> end(call.getArgument(0), false)).when(waitlists).discard(any());
        when(waitlists.stalePromotions(anyLong())).thenReturn(List.of());
        when(waitlists.classesWithStudentsWaiting()).thenAnswer(call -> waitingClasses());
        when(autoEnrollment.read()).thenAnswer(call -> new AutoEnrollment.Switch(!isFrozen()));
        when(classes.find(anyLong())).thenAnswer(call -> course());
        when(classes.withFreeSeat(anyList())).thenAnswer(call -> course().filter(CourseClass::hasFreeSeat)
                .map(course -> List.of(course.id())).orElse(List.of()));
        when(enrollments.enroll(anyLong(), anyLong(), anyString(), any())).thenAnswer(call -> seat(
                call.getArgument(1), enrolled));
        when(offers.deadline(any())).thenAnswer(call -> Instant.now().plus(Duration.ofHours(24)));
        when(offers.offer(anyLong(), anyLong(), anyString(), any())).thenAnswer(call -> seat(call.getArgument(1),
                offered));
    }

    /** Binds the doubles where {@code @BeanInject} finds them. */
    void bind(Registry registry) {
        registry.bind("promotionRequests", promotionRequests);
        registry.bind("waitlists", waitlists);
        registry.bind("autoEnrollment", autoEnrollment);
        registry.bind("classes", classes);
        registry.bind("enrollments", enrollments);
        registry.bind("offers", offers);
        registry.bind("classViews", classViews);
        registry.bind("events", events);
    }

    /** Students join the list, in this order, with names "student N". */
    synchronized void waiting(long... students) {
        for (long student : students) {
            waiting.add(student);
        }
    }

    /** Students hold seats already (the class is full when as many as its capacity). */
    synchronized void enrolled(long... students) {
        for (long student : students) {
            enrolled.add(student);
        }
    }

    /** A student drops: their seat is free. */
    synchronized void drop(long student) {
        enrolled.remove(student);
    }

    /** The class's waiting-list mode becomes {@code offer} (it is {@code auto} until then). */
    synchronized void offerMode() {
        mode = WaitlistMode.OFFER;
    }

    synchronized void freeze(boolean frozen) {
        this.frozen = frozen;
    }

    private synchronized boolean isFrozen() {
        return frozen;
    }

    /** The registrar removes the class: its students are dropped and its list cleared. */
    synchronized void remove() {
        classExists = false;
        enrolled.clear();
        waiting.clear();
    }

    /** What a promoter that dies holding the turn leaves: its token in the turn, lapsing in {@code lease}. */
    synchronized Turn deadHolder(Duration lease) {
        requestVersion = Math.max(1, requestVersion);
        turnHolder = "dead-" + UUID.randomUUID();
        turnLapsesAt = System.currentTimeMillis() + lease.toMillis();
        return new Turn(classId, turnHolder, requestVersion, lease.toMillis());
    }

    /** Whether a promotion request waits to be concluded. */
    synchronized boolean requested() {
        return requestVersion > 0;
    }

    // request-promotion.lua: when anyone waits, a request (its version up)
    private synchronized boolean request() {
        if (waiting.isEmpty() && inFlight.isEmpty()) {
            return false;
        }
        requestVersion++;
        return true;
    }

    // the requests not served by a live turn
    private synchronized List<Long> due() {
        return requestVersion > 0 && !turnRuns() ? List.of(classId) : List.of();
    }

    // take-promotion-turn.lua
    private synchronized Turn take(long leaseMillis) {
        if (requestVersion == 0 || turnRuns()) {
            return null;
        }
        turnHolder = UUID.randomUUID().toString();
        turnLapsesAt = System.currentTimeMillis() + leaseMillis;
        return new Turn(classId, turnHolder, requestVersion, leaseMillis);
    }

    // end-promotion-turn.lua: the request and the turn go together unless a request came during the pass
    private synchronized Turn conclude(Turn turn) {
        if (!turn.holder().equals(turnHolder)) {
            return null;
        }
        if (requestVersion == turn.version()) {
            requestVersion = 0;
            turnHolder = null;
            return null;
        }
        turnLapsesAt = System.currentTimeMillis() + turn.leaseMillis();
        return new Turn(classId, turn.holder(), requestVersion, turn.leaseMillis());
    }

    private boolean turnRuns() {
        return turnHolder != null && System.currentTimeMillis() < turnLapsesAt;
    }

    private synchronized List<Promotion> inFlight() {
        return List.copyOf(inFlight.values());
    }

    // begin-promotion.lua: fenced on the turn, which it renews
    synchronized Promotion begin(Turn turn) {
        if (!turn.holder().equals(turnHolder) || waiting.isEmpty()) {
            return null;
        }
        turnLapsesAt = System.currentTimeMillis() + turn.leaseMillis();
        long student = waiting.remove(0);
        Promotion promotion = new Promotion(classId, student, "student " + student);
        inFlight.put(promotion.studentId(), promotion);
        return promotion;
    }

    // end-promotion.lua: a restored student goes back to the head of the list
    private synchronized Object end(Promotion promotion, boolean restore) {
        if (inFlight.remove(promotion.studentId()) != null && restore) {
            waiting.add(0, promotion.studentId());
        }
        return null;
    }

    private synchronized List<Long> waitingClasses() {
        return waiting.isEmpty() ? List.of() : List.of(classId);
    }

    private synchronized Optional<CourseClass> course() {
        return classExists ? Optional.of(new CourseClass(classId, "CS", "CS101", 1, "Compilers", 7, capacity,
                enrolled.size(), offered.size(), waiting.size(), 15, mode, 24, 3, List.of(),
                List.of(), 1, Instant.now())) : Optional.empty();
    }

    // the seat transaction: a seat taken while enrolled + offered is below capacity
    private synchronized Outcome seat(long student, Set<Long> into) {
        if (enrollFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new IllegalStateException("DynamoDB did not answer");
        }
        if (enrolled.contains(student) || offered.contains(student)) {
            return Outcome.ALREADY_ENROLLED;
        }
        if (!classExists || enrolled.size() + offered.size() >= capacity) {
            return Outcome.FULL_OR_NO_CLASS;
        }
        into.add(student);
        return Outcome.ENROLLED;
    }

    /** The events a route published, in order: their types and students. */
    static List<String> described(List<Event> events) {
        return events.stream().map(event -> event.type() + " " + event.studentId()).toList();
    }
}
