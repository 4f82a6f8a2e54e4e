package routes;

import static api.Http.readJson;
import static api.Http.reply;

import auth.Credentials;
import auth.NewUser;
import auth.UserQuery;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** The account flows of API.md "Authentication and roles"; their REST surface is camel/accounts.yaml. */
public class AccountRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:register").routeId("register-student")
                .bean("localAccounts", "requireRegistration")
                .process(readJson(NewUser.Registration.class))
                .transform(simple("${body.asStudent()}"))
                .bean("users", "create(${body})")
                .process(reply(201));

        from("direct:login").routeId("log-in")
                .process(readJson(Credentials.class))
                .bean("localAccounts", "requireLogin(${body})")
                .bean("users", "authenticate")
                .bean("tokens", "grant")
                .process(reply(200));

        // Gateways may keep the key set five minutes: a key generated per process changes only at a restart.
        from("direct:jwks").routeId("publish-key-set")
                .bean("tokens", "jwks")
                .setHeader("Cache-Control", constant("public, max-age=300"))
                .process(reply(200));

        from("direct:create-user").routeId("registrar-creates-user")
                .process(readJson(NewUser.class))
                .bean("users", "create(${body})")
                .process(reply(201));

        from("direct:find-user").routeId("registrar-finds-user")
                .transform(method(UserQuery.class, "parse(${header." + Exchange.HTTP_RAW_QUERY + "})"))
                .bean("users", "find(${body})")
                .process(reply(200));
    }
}
