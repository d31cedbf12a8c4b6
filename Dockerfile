# syntax=docker/dockerfile:1
# Build stage: the workspace's own build tool (`cargo xtask`, in xtask/) compiles the server and the WASM bundle,
# running wasm-bindgen as a library at Cargo.lock's version and splitting the WASM into its lazy-loaded chunks.
FROM rust:1-bookworm AS build
RUN rustup target add wasm32-unknown-unknown
WORKDIR /src
COPY . .
RUN cargo xtask build --release --precompress \
 && mkdir -p /out \
 && cp target/release/t2m-server /out/ \
 && cp -a target/site /out/site

# Run stage: the binary, the site and CA roots only, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin t2m \
 && mkdir -p /app/data/keys \
 && chown -R t2m:t2m /app/data
WORKDIR /app
COPY --from=build /out/t2m-server /app/t2m-server
COPY --from=build /out/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    T2M_DATA_DIR=/app/data \
    ENVIRONMENT=production
USER t2m
EXPOSE 3000
# curl is in the image for this check only; the health endpoint answers 200 when the database is reachable.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/livez || exit 1
ENTRYPOINT ["/app/t2m-server"]
