package enrollment;

import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import text.Names;

/**
 * A class's prerequisites (docs/api.md "Classes"): 0 to 10 groups of 1 to 10 course codes, met when the student has
 * completed at least one course of every group (an AND of ORs, as Banner's prerequisite rules read).
 */
public final class Prerequisites {

    /** docs/api.md: at most this many groups, and this many course codes in a group. */
    public static final int MAX_GROUPS = 10;
    public static final int MAX_PER_GROUP = 10;
    /** The longest course code, as a class's {@code courseCode}. */
    public static final int MAX_CODE_LENGTH = 32;

    private Prerequisites() {
    }

    /**
     * @param groups the groups of a class request, or null for none
     * @return them with every course code in NFC, unmodifiable
     * @throws IllegalArgumentException (a 400 {@code invalid-request}) past 10 groups or 10 codes a group, an empty
     *         or null group, or a code that is not a valid course code
     */
    public static List<List<String>> require(List<List<String>> groups) {
        if (groups == null) {
            return List.of();
        }
        if (groups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("prerequisites hold at most " + MAX_GROUPS + " groups");
        }
        return groups.stream().map(group -> {
            if (group == null || group.isEmpty() || group.size() > MAX_PER_GROUP) {
                throw new IllegalArgumentException("a prerequisite group holds 1 to " + MAX_PER_GROUP + " course codes");
            }
            return group.stream().map(code -> Names.require("a prerequisite's course code", code, MAX_CODE_LENGTH))
                    .toList();
        }).toList();
    }

    /**
     * @param groups a class's prerequisites
     * @param completed the course codes the student has completed
     * @return the groups none of whose courses the student has completed, in the class's order (empty: met)
     */
    public static List<List<String>> missing(List<List<String>> groups, Collection<String> completed) {
        return groups.stream().filter(group -> group.stream().noneMatch(completed::contains)).toList();
    }

    /** @return the groups as a DynamoDB list of lists of strings (the class row's) */
    static AttributeValue attribute(List<List<String>> groups) {
        return AttributeValue.fromL(groups.stream()
                .map(group -> AttributeValue.fromL(group.stream().map(AttributeValue::fromS).toList())).toList());
    }

    /** @return what {@link #attribute} wrote; none for null (a row from before classes had prerequisites) */
    static List<List<String>> from(AttributeValue attribute) {
        return attribute == null ? List.of() : attribute.l().stream()
                .map(group -> group.l().stream().map(AttributeValue::s).toList()).toList();
    }
}
