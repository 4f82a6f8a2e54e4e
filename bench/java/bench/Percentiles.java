package bench;

import java.util.Collection;

/** Nearest-rank percentiles of the samples a benchmark took, the one way every bench here reports them. */
final class Percentiles {

    private Percentiles() {
    }

    /** The samples in ascending order. */
    static double[] sorted(Collection<? extends Number> samples) {
        return samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    }

    /**
     * The p-th percentile by nearest rank: the smallest sample with at least p % of the samples at or below it.
     *
     * @param sorted the samples, ascending (unchanged), at least one
     * @param p the percentile, 0 &lt; p ≤ 100 (100 = the largest sample)
     */
    static double of(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
