#!/usr/bin/env bash
# Install what the tests need and run them. Debian packages only where missing: a Java
# runtime (the Spark test), Chromium (the browser tests), Node's npm (to install axe-core),
# Pango and fonts for WeasyPrint's PDFs (Latin and CJK), Poppler's pdftoppm (PDF pages to
# PNG); then the Python packages in .venv and axe-core in .cache/node; then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# a real PostgreSQL server for tests/test_postgres.py (tests/pg.py starts a throwaway one)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
  || need+=(postgresql)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-noto-cjk; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_=""
  [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
if [ ! -f .cache/node/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@4 >/dev/null
fi
# two workers on a 2-core machine (one per core), each test file on one worker (its
# module-scoped fixtures are built once); the 20 slowest tests are listed at the end
exec .venv/bin/python -m pytest -n auto --dist loadfile --durations=20 "$@"
