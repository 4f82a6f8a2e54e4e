package routes;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.Offers;
import enrollment.PromotionRequests;
import enrollment.PromotionRequests.Turn;
import enrollment.PromotionsInFlight;
import enrollment.PromotionsInFlight.Promotion;
import enrollment.RegistrationStatus;
import enrollment.RegistrationWindow;
import enrollment.Registrations;
import enrollment.StudentRecord;
import enrollment.WaitlistMode;
import enrollment.Waitlists;
import event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.Registry;
import store.Tables;

/**
 * Test doubles of the gateways the promotion flows call, over one class's state held in memory: what the Lua scripts
 * (request-promotion, take-promotion-turn, end-promotion-turn, begin-promotion, end-promotion) and the DynamoDB seat
 * transactions (enrollment/Enrollments, enrollment/Offers) do to it, as enrollment/PromotionRequests and
 * enrollment/Waitlists describe them. {@link #bind} puts them in a route test's registry, where
 * {@code @BeanInject} finds them by type. One class, capacity given, students waiting with no holds; each student's
 * record passes the registration rules unless {@link #overCreditLimit} says otherwise, and a student may wait to swap
 * another class (outside this one) for it ({@link #waitingToSwap}).
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
    private final List<Long> arrivals = new ArrayList<>();
    final Map<Long, Promotion> inFlight = new LinkedHashMap<>();
    // the students' records: those whose credit maximum this class would pass; the classes students wait to swap
    // away (student -> the class outside this one they are enrolled in and drop), and those they dropped so
    private final Set<Long> overCreditLimit = new HashSet<>();
    private final Map<Long, Long> swapFor = new HashMap<>();
    final Map<Long, Long> swappedAway = new LinkedHashMap<>();
    private long requestVersion;  // 0: no request
    private String turnHolder;
    private long turnLapsesAt;
    /** How many more enrollments fail as a store error would, after the student left the list. */
    final AtomicInteger enrollFailures = new AtomicInteger();

    final PromotionRequests promotionRequests = mock(PromotionRequests.class);
    final Waitlists waitlists = mock(Waitlists.class);
    final PromotionsInFlight promotionsInFlight = mock(PromotionsInFlight.class);
    final Classes classes = mock(Classes.class);
    final Enrollments enrollments = mock(Enrollments.class);
    final Offers offers = mock(Offers.class);
    final ClassViews classViews = mock(ClassViews.class);
    final Registrations registrations = mock(Registrations.class);

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
        when(promotionsInFlight.inFlight(anyLong())).thenAnswer(call -> inFlight());
        when(promotionsInFlight.beginPromotion(any(), any())).thenAnswer(call -> begin(call.getArgument(0),
                call.getArgument(1)));
        doAnswer(call -> end(call.getArgument(0), false)).when(promotionsInFlight).commit(any());
        doAnswer(call -> end(call.getArgument(0), true)).when(promotionsInFlight).restore(any());
        doAnswer(call -> end(call.getArgument(0), false)).when(promotionsInFlight).discard(any());
        when(promotionsInFlight.stalePromotions(anyLong())).thenReturn(List.of());
        when(waitlists.classesWithStudentsWaiting()).thenAnswer(call -> waitingClasses());
        when(classes.find(anyLong())).thenAnswer(call -> course());
        when(enrollments.enroll(any(), anyLong(), anyString(), anyLong(), any())).thenAnswer(call -> seat(
                call.getArgument(1), enrolled));
        when(enrollments.find(anyLong(), anyLong())).thenAnswer(call -> enrolledElsewhere(call.getArgument(0),
                call.getArgument(1)));
        when(enrollments.swap(anyLong(), any(), anyLong(), anyString(), anyLong(), any())).thenAnswer(call -> swap(
                call.getArgument(0), call.getArgument(2)));
        when(offers.deadline(any())).thenAnswer(call -> Instant.now().plus(Duration.ofHours(24)));
        when(offers.offer(any(), anyLong(), anyString(), anyLong(), any())).thenAnswer(call -> seat(
                call.getArgument(1), offered));
        when(registrations.record(anyLong())).thenAnswer(call -> record(call.getArgument(0)));
    }

    /** Binds the doubles where {@code @BeanInject} finds them. */
    void bind(Registry registry) {
        registry.bind("promotionRequests", promotionRequests);
        registry.bind("waitlists", waitlists);
        registry.bind("promotionsInFlight", promotionsInFlight);
        registry.bind("tables", new Tables("test-"));
        registry.bind("classes", classes);
        registry.bind("enrollments", enrollments);
        registry.bind("offers", offers);
        registry.bind("classViews", classViews);
        registry.bind("registrations", registrations);
    }

    /** The student's credit maximum is 0 from now on: they fail the credit-limit check of this class. */
    synchronized void overCreditLimit(long student) {
        overCreditLimit.add(student);
    }

    /** The student waits on this class's list to swap {@code dropClassId}, a class they are enrolled in, for it. */
    synchronized void waitingToSwap(long student, long dropClassId) {
        waiting(student);
        swapFor.put(student, dropClassId);
    }

    /** Students join the list, in this order, with names "student N". */
    synchronized void waiting(long... students) {
        for (long student : students) {
            waiting.add(student);
            arrivals.add(student);
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

    synchronized boolean isFrozen() {
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

    // begin-promotion.lua: fenced on the turn, which it renews; the first student not passed over
    synchronized Promotion begin(Turn turn, Set<Long> passedOver) {
        Long next = waiting.stream().filter(student -> !passedOver.contains(student)).findFirst().orElse(null);
        if (!turn.holder().equals(turnHolder) || next == null) {
            return null;
        }
        turnLapsesAt = System.currentTimeMillis() + turn.leaseMillis();
        long student = next;
        waiting.remove(next);
        Promotion promotion = new Promotion(classId, student, "student " + student, swapFor.get(student));
        inFlight.put(promotion.studentId(), promotion);
        return promotion;
    }

    // end-promotion.lua: a restored student goes back to their place in arrival order
    private synchronized Object end(Promotion promotion, boolean restore) {
        if (inFlight.remove(promotion.studentId()) != null && restore) {
            waiting.add(promotion.studentId());
            waiting.sort(java.util.Comparator.comparing(arrivals::indexOf));
        }
        return null;
    }

    // Registrations.record: an empty record, the credit maximum 0 for those over it
    synchronized StudentRecord record(long student) {
        int maxCredits = overCreditLimit.contains(student) ? 0 : 18;
        return new StudentRecord(student, RegistrationStatus.of(RegistrationWindow.ANY_TIME, List.of(), Instant.now(),
                0, maxCredits), Set.of(), maxCredits, Map.of(), new StudentRecord.Schedule(1, Map.of()));
    }

    // Enrollments.find of a class outside this one: enrolled while they wait to swap it away
    private synchronized Enrollments.Student enrolledElsewhere(long otherClassId, long student) {
        return otherClassId != classId && otherClassId == swapFor.getOrDefault(student, 0L)
                ? new Enrollments.Student(student, "student " + student) : null;
    }

    // Enrollments.swap: the seat here and the other one freed, both or neither
    private synchronized Outcome swap(long dropClassId, long student) {
        Outcome outcome = seat(student, enrolled);
        if (outcome == Outcome.ENROLLED) {
            swapFor.remove(student);
            swappedAway.put(student, dropClassId);
        }
        return outcome;
    }

    private synchronized List<Long> waitingClasses() {
        return waiting.isEmpty() ? List.of() : List.of(classId);
    }

    synchronized Optional<CourseClass> course() {
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
