package api;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Camel's HTTP header filter, except that {@code Cache-Control} may go out: the conditional answers of docs/api.md
 * send {@code Cache-Control: private, no-cache}, which the stock filter drops.
 */
public final class ApiHeaders extends HttpHeaderFilterStrategy {

    public ApiHeaders() {
        getOutFilter().remove("cache-control");
    }
}
