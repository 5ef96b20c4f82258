# AppSync Emulator: one port (20002) for GraphQL, the real-time WebSocket, the explorer and the
# DynamoDB API. Build: docker build -t appsync-emulator .
# Run on a project (an Amplify Gen1 root, a schema folder or a folder with appsync-emulator.toml):
#   docker run --rm -p 20002:20002 -v "$PWD:/work:ro" -v appsync-data:/data appsync-emulator
# Extra arguments are passed to `appsync-emulator serve` (e.g. a schema path, --api NAME).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY auth ./auth
COPY resolvers ./resolvers
RUN pip install . \
    && rm -rf /src \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin emulator \
    && mkdir -p /data /work \
    && chown emulator:emulator /data

USER emulator
WORKDIR /work
# Signing keys, generated credentials and the embedded engine's tables.
VOLUME ["/data"]
EXPOSE 20002

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:20002/health', timeout=2)"]

# Listening on 0.0.0.0 inside the container is what makes `-p 20002:20002` reach it; keep the
# port at 20002 here (the health check uses it) and choose the host port with -p.
ENTRYPOINT ["appsync-emulator", "serve", "--host", "0.0.0.0", "--port", "20002", "--data-dir", "/data"]
CMD []
