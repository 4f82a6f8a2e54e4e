package enrollment;

/**
 * The body of {@code POST /student/swaps} (docs/api.md "Swaps"): drop one class only if the other is taken.
 *
 * @param dropClassId the class the student is enrolled in and leaves
 * @param enrollClassId the class they take instead
 */
public record SwapRequest(Long dropClassId, Long enrollClassId) {

    /**
     * @throws IllegalArgumentException (a 400 {@code invalid-request}) when an id is missing or not positive, or both
     *         name the same class
     */
    public SwapRequest {
        if (dropClassId == null || dropClassId < 1 || enrollClassId == null || enrollClassId < 1) {
            throw new IllegalArgumentException("dropClassId and enrollClassId must be positive integer class ids");
        }
        if (dropClassId.equals(enrollClassId)) {
            throw new IllegalArgumentException("dropClassId and enrollClassId must name two classes");
        }
    }
}
