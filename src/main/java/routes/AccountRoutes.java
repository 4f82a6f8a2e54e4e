package routes;

import static api.Http.reply;
import static api.Http.utf8Json;

import auth.Credentials;
import auth.LocalAccounts;
import auth.NewUser;
import auth.TokenService;
import auth.UserQuery;
import auth.Users;
import json.Json;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The account flows of docs/api.md "Authentication and roles"; their REST surface is camel/accounts.yaml, each
 * operation sending to the flow of the same name.
 */
public class AccountRoutes extends RouteBuilder {

    @BeanInject
    LocalAccounts localAccounts;
    @BeanInject
    Users users;
    @BeanInject
    TokenService tokens;

    @Override
    public void configure() {
        from("direct:register").routeId("register")
                .process(e -> localAccounts.requireRegistration())
                .process(utf8Json())
                .unmarshal(Json.format(NewUser.Registration.class))
                .setBody(e -> users.create(e.getMessage().getBody(NewUser.Registration.class).asStudent()))
                .process(reply(201));

        from("direct:log-in").routeId("log-in")
                .process(utf8Json())
                .unmarshal(Json.format(Credentials.class))
                .process(e -> localAccounts.requireLogin(e.getMessage().getBody(Credentials.class)))
                .setBody(e -> tokens.grant(users.authenticate(e.getMessage().getBody(Credentials.class))))
                .process(reply(200));

        // Gateways may keep the key set five minutes: a key generated per process changes only at a restart.
        from("direct:publish-key-set").routeId("publish-key-set")
                .setBody(e -> tokens.jwks())
                .setHeader("Cache-Control", constant("public, max-age=300"))
                .process(reply(200));

        from("direct:create-user").routeId("create-user")
                .process(utf8Json())
                .unmarshal(Json.format(NewUser.class))
                .setBody(e -> users.create(e.getMessage().getBody(NewUser.class)))
                .process(reply(201));

        from("direct:find-user").routeId("find-user")
                .setBody(e -> users.find(UserQuery.parse(e.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class))))
                .process(reply(200));
    }
}
