# Build stage: the full JDK and Maven, thrown away after packaging.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer, so a source-only change does not download them again.
# Best effort: whatever go-offline misses, `package` below resolves (and reports real errors).
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src ./src
# Tests run in CI (.ci/run), not in the image build.
RUN mvn -B -DskipTests package

# Runtime stage: JRE only, non-root, and the lean jar: no embedded stand-in, so every store must be configured
# (DYNAMODB_ENDPOINT, REDIS_URL, RABBITMQ_URL, SMTP_HOST; docs/operations.md "Deploying"); one left unset ends
# start-up at once with a line naming it.
FROM eclipse-temurin:17-jre
# Fixed numeric IDs so orchestrators can verify runAsNonRoot without reading /etc/passwd.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /src/target/enrollment-service-lean.jar /app/enrollment-service.jar
USER 10001:10001
# the container's network namespace is its own: listen on it, not only on its loopback
ENV HTTP_PORT=8080 HTTP_HOST=0.0.0.0
EXPOSE 8080
# java as PID 1 receives `docker stop`'s SIGTERM directly and shuts Camel down gracefully.
ENTRYPOINT ["java", "-jar", "/app/enrollment-service.jar"]
