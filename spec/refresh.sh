#!/usr/bin/env bash
# Reproduces the Letta OpenAPI document from PyPI.
#
#   spec/refresh.sh LETTA_VERSION [OUTPUT]
#
# Creates a temporary Python 3.11 venv, installs letta[server]==LETTA_VERSION (with the repository's pins
# from tests/live/requirements.txt when the version is the pinned 0.7.10), asks Letta's FastAPI app for its
# OpenAPI document, and writes it to OUTPUT (default: standard output). Nothing else is touched; the venv
# is removed on exit. Needs network access to PyPI.
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi
version="$1"
output="${2:-}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${LETTA_PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
pins=()
extra=()
if [[ "$version" == "0.7.10" ]]; then
  # 0.7.10 imports orjson without declaring it; the pins make its dependency set resolvable.
  pins=(-c "$repo/tests/live/requirements.txt")
  extra=(orjson)
fi
echo "installing letta[server]==$version ..." >&2
"$work/venv/bin/pip" install --quiet "${pins[@]}" "letta[server]==$version" "${extra[@]}" >&2

mkdir -p "$work/out"
(
  cd "$work/out"
  HOME="$work" "$work/venv/bin/python" -c \
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
