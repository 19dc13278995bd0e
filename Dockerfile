# syntax=docker/dockerfile:1
#
# Paksa Financial: three stages.
#   deps     npm ci (all dependencies, dev ones included: the build and `npm run db:migrate` need them)
#   build    the Nuxt build; this image also runs the deploy-time migration (`npm run db:migrate`)
#            and the worker (`npm run worker`) in docker-compose.yml
#   runtime  the self-contained build output only (.output carries its own node_modules and the
#            migrations), as the unprivileged user `paksa`
#
#   docker build -t paksa-financial .                  # the runtime image (last stage)
#   docker build --target build -t paksa-financial:build .

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NUXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# The postinstall `nuxt prepare` runs without the sources here; the build regenerates .nuxt.
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx nuxt build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# NODE_ENV does not choose the database or the secrets (server/core/config.ts): with DATABASE_URL
# set, JWT_SECRET and ENCRYPTION_KEY are required; without it the server runs an embedded
# PostgreSQL under DATA_DIR (mount a volume at /data to keep it).
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
RUN groupadd --system --gid 10001 paksa \
  && useradd --system --uid 10001 --gid paksa --home-dir /app --no-create-home --shell /usr/sbin/nologin paksa \
  && mkdir -p /data \
  && chown paksa:paksa /data
# Owned by root and read-only to the server: the process can write only to DATA_DIR.
COPY --from=build /app/.output ./.output
USER paksa
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", ".output/server/index.mjs"]
