# syntax=docker/dockerfile:1
#
# lisplan: one image for both processes.
#   API (default):  node dist/src/server.js
#   Worker:         node dist/src/worker.js   (docker-compose.yml overrides the command)
#
# Debian (glibc), not Alpine: Temporal's native bridge (@temporalio/core-bridge) ships
# no musl build.

# ---- build: compile TypeScript, then drop the dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm install --no-save --no-audit --no-fund

COPY tsconfig.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
WORKDIR /app

# HOST=0.0.0.0 so that the API is reachable through a published port; the worker
# ignores HOST and PORT.
ENV NODE_ENV=production \
    TZ=UTC \
    HOST=0.0.0.0 \
    PORT=3000

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The seed plans, for `node dist/src/cli/main.js seed demo` inside the container.
COPY plans ./plans
# The web UI's templates and stylesheet are read at run time.
COPY src/ui/views ./src/ui/views
COPY src/ui/static ./src/ui/static

# The official node image's unprivileged user (uid 1000).
USER node

EXPOSE 3000

# Liveness of the API. Slim images have no curl, so node's own fetch does it.
# The worker serves no HTTP; docker-compose.yml disables this check for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/src/server.js"]
