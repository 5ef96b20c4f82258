#!/usr/bin/env bash
# Installs the system tools some tests need, when they are missing and this machine can:
#   chromium        the explorer's browser test (tests/e2e/test_explorer_browser.py)
#   docker-compose  validating docker-compose.yml (tests/test_docker_files.py)
#   curl            the README's quick-start tour, run as written (tests/e2e/test_examples.py)
# Debian/Ubuntu packages via apt-get, as root (CI) or with password-less sudo. Nothing is
# downloaded outside the package manager (Playwright drives the system Chromium).
# Outside CI a tool that cannot be installed only warns: its tests skip with a message.
# Under CI=true it is an error, because those tests must run there.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        as_root=(unavailable)
    fi
fi

if [ "${as_root[*]}" != unavailable ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-tools: installing ${missing[*]}" >&2
    if "${as_root[@]}" apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        exit 0
    fi
fi

echo "ensure-test-tools: cannot install ${missing[*]} here (needs apt-get as root); install them" \
     "(apt-get install ${missing[*]}) or the tests that use them are skipped" >&2
if [ "${CI:-}" = "true" ]; then
    exit 1
fi
exit 0
