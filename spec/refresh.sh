#!/usr/bin/env bash
# Reproduces the Letta OpenAPI document from PyPI.
#
#   spec/refresh.sh LETTA_VERSION [OUTPUT]
#
# Creates a temporary Python 3.11 venv, installs the Letta server of LETTA_VERSION, asks Letta's FastAPI
# app for its OpenAPI document, and writes it to OUTPUT (default: standard output). Pinned versions:
#   0.7.10  letta[server] with tests/live/requirements.txt      (spec/letta-0.7.10/openapi.json)
#   0.16.8  letta[postgres] with tests/live/constraints-0.16.8.txt (spec/letta-0.16.8/openapi.json)
#   other   letta[server], unpinned
# Needs no database. LETTA_VENV=DIR reuses that venv when it holds the version (e.g. the live rig's
# target/letta-venv-0.16.8) instead of a temporary one. Nothing else is touched; a temporary venv is
# removed on exit. Needs network access to PyPI (not with a reused venv).
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
version="$1"
output="${2:-}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${LETTA_PYTHON:-}"
if [[ -z "$python" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then python=python3.11; else python=python3; fi
fi

pins=()
extra=()
package="letta[server]==$version"
case "$version" in
  0.7.10)
    # 0.7.10 imports orjson without declaring it; the pins make its dependency set resolvable.
    pins=(-c "$repo/tests/live/requirements.txt")
    extra=(orjson)
    ;;
  0.16.8)
    # The set that resolves cleanly: today's mcp breaks the import, and the [server] extra pins an old
    # uvicorn that breaks pydantic (fastapi and uvicorn come in without it).
    pins=(-c "$repo/tests/live/constraints-0.16.8.txt")
    package="letta[postgres]==$version"
    ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

venv=""
if [[ -n "${LETTA_VENV:-}" && -x "$LETTA_VENV/bin/python" ]]; then
  have="$("$LETTA_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("letta"))' 2>/dev/null || true)"
  if [[ "$have" == "$version" ]]; then
    venv="$(cd "$LETTA_VENV" && pwd)"
    echo "using $venv (letta $have)" >&2
  else
    echo "LETTA_VENV=$LETTA_VENV holds letta ${have:-nothing}, not $version: using a temporary venv" >&2
  fi
fi
if [[ -z "$venv" ]]; then
  venv="$work/venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  echo "installing $package ..." >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}" "$package" "${extra[@]}" >&2
fi

mkdir -p "$work/out" "$work/home"
(
  cd "$work/out"
  # A clean environment: Letta's settings read LETTA_* variables (cors origins become `servers`).
  env -i PATH="$PATH" HOME="$work/home" "$venv/bin/python" -c \
    'from letta.server.rest_api.app import app, generate_openapi_schema; generate_openapi_schema(app)' >&2
)
doc="$work/out/openapi_letta.json"
if [[ ! -s "$doc" ]]; then
  echo "error: Letta $version did not write openapi_letta.json" >&2
  exit 1
fi
if [[ -n "$output" ]]; then
  cp "$doc" "$output"
  echo "wrote $output (sha256 $(sha256sum "$output" | cut -d' ' -f1))" >&2
else
  cat "$doc"
fi
