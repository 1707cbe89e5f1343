#!/usr/bin/env bash
# Sets up a development / test checkout; safe to run again (it only redoes what changed).
#
#   scripts/setup.sh           .venv with the package and its dev extras, npm packages,
#                              browser bundles in static/dist, compiled gettext catalogs, and
#                              Debian's Pango/HarfBuzz/fonts for the PDF report when missing
#   scripts/setup.sh --test    the same, plus the `postgres` extra (asyncpg), and Debian's
#                              redis-server, postgresql and chromium for the tests
#
# PYTHON=/path/to/python overrides the choice of interpreter (it must be Python >= 3.11).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
PY_STAMP=$VENV/.setup-stamp
NODE_STAMP=$ROOT/node_modules/.setup-stamp
LOCALE_DIR=conference/web/locale

WITH_TEST=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        -h | --help)
            sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup: unknown argument: $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }
die() {
    echo "setup: error: $*" >&2
    exit 1
}

hash_of() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# Prints "MAJOR MINOR MICRO" if $1 runs, has venv and ensurepip, and is >= 3.11.
py_version() {
    "$1" -c 'import sys, venv, ensurepip
if sys.version_info < (3, 11): raise SystemExit(1)
print(*sys.version_info[:3])' 2>/dev/null </dev/null
}

# ---------------------------------------------------------------- Debian packages (--test)
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to install: $*"
        sudo=(sudo -E)
    fi
    local lists
    lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null | head -n1)
    if [ -z "$lists" ]; then
        say "apt-get update"
        "${sudo[@]}" apt-get update -qq
    fi
    say "apt-get install $*"
    if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
        # The package lists may be stale (versions gone from the mirror): refresh and retry once.
        say "apt-get update (install failed with the current package lists)"
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    fi
}

# WeasyPrint (the event report as PDF) loads Pango, HarfBuzz and fontconfig at run time, and
# the report needs a font with German letters: Debian's packages, installed when missing.
report_libs() {
    local wanted=() lib
    for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
        libharfbuzz.so.0:libharfbuzz0b libharfbuzz-subset.so.0:libharfbuzz-subset0 \
        libfontconfig.so.1:libfontconfig1; do
        ldconfig -p 2>/dev/null | grep -q "${lib%%:*}" || wanted+=("${lib#*:}")
    done
    [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || wanted+=(fonts-dejavu-core)
    if [ "${#wanted[@]}" -gt 0 ]; then
        apt_install "${wanted[@]}"
    fi
}
report_libs

if [ "$WITH_TEST" = 1 ]; then
    wanted=()
    command -v redis-server >/dev/null || wanted+=(redis-server)
    # the tests start a cluster of their own with initdb/pg_ctl (tests/fixtures/postgres_server.py)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || wanted+=(postgresql)
    [ -x /usr/bin/chromium ] || wanted+=(chromium fonts-liberation)
    # the reactions are emoji: screenshots (scripts/screenshots.py) show them, not empty boxes
    [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || wanted+=(fonts-noto-color-emoji)
    if [ "${#wanted[@]}" -gt 0 ]; then
        apt_install "${wanted[@]}"
    fi
fi

# ---------------------------------------------------------------- Python
choose_python() {
    if [ -n "${PYTHON:-}" ]; then
        py_version "$PYTHON" >/dev/null || die "PYTHON=$PYTHON does not run as Python >= 3.11 with venv and ensurepip"
        echo "$PYTHON"
        return
    fi
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    local candidates=() c
    for c in python3.13 python3.12; do
        if command -v "$c" >/dev/null; then candidates+=("$(command -v "$c")"); fi
    done
    shopt -s nullglob
    candidates+=(
        "$pyenv_root"/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.13*/bin/python3.13
        "$pyenv_root"/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12
    )
    shopt -u nullglob
    if command -v python3 >/dev/null; then candidates+=("$(command -v python3)"); fi

    local best="" best_key="" version key
    for c in "${candidates[@]}"; do
        version=$(py_version "$c") || continue
        # Sortable key: 3.13.0 -> 003013000
        # shellcheck disable=SC2086 # split "3 13 0" into three numbers on purpose
        key=$(printf "%03d%03d%03d" $version)
        if [[ -z "$best_key" || "$key" > "$best_key" ]]; then
            best=$c
            best_key=$key
        fi
    done
    [ -n "$best" ] || die "no working Python >= 3.11 found (tried: ${candidates[*]:-none}); set PYTHON=..."
    echo "$best"
}

PY=$(choose_python)
read -r want_major want_minor _ <<<"$(py_version "$PY")"

venv_ok=0
if have=$(py_version "$VENV/bin/python"); then
    read -r have_major have_minor _ <<<"$have"
    if [ "$have_major.$have_minor" = "$want_major.$want_minor" ]; then
        venv_ok=1
    else
        say ".venv has Python $have_major.$have_minor, $PY is $want_major.$want_minor: recreating it"
    fi
elif [ -e "$VENV" ]; then
    say ".venv is missing or has a broken python: recreating it"
fi

if [ "$venv_ok" = 0 ]; then
    rm -rf "$VENV"
    say "creating .venv with $PY (Python $want_major.$want_minor)"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi

# The stamp holds the hash of pyproject.toml and the extras installed; a plain setup after a
# --test one keeps the postgres extra rather than reinstalling.
EXTRAS=dev
if [ "$WITH_TEST" = 1 ]; then EXTRAS=dev,postgres; fi
py_hash="$(hash_of pyproject.toml) $EXTRAS"
stamp=$(cat "$PY_STAMP" 2>/dev/null || true)
if [ "$stamp" = "$(hash_of pyproject.toml) dev,postgres" ]; then py_hash=$stamp; fi
if [ "$stamp" != "$py_hash" ]; then
    say "pip install -e '.[$EXTRAS]'"
    "$VENV/bin/python" -m pip install -q -e ".[$EXTRAS]"
    echo "$py_hash" >"$PY_STAMP"
else
    say "python packages up to date ($("$VENV/bin/python" -V))"
fi

# ---------------------------------------------------------------- Node (bundles in static/dist)
if ! command -v npm >/dev/null; then
    say "npm not found: installing Debian's nodejs and npm"
    apt_install nodejs npm
fi

npm_hash=$(hash_of package.json package-lock.json)
if [ ! -d node_modules ] || [ ! -f "$NODE_STAMP" ] || [ "$(cat "$NODE_STAMP")" != "$npm_hash" ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$npm_hash" >"$NODE_STAMP"
else
    say "npm packages up to date"
fi

say "npm run build"
npm run --silent build

# ---------------------------------------------------------------- gettext catalogs
shopt -s nullglob
po_files=("$LOCALE_DIR"/*/LC_MESSAGES/messages.po)
shopt -u nullglob
if [ "${#po_files[@]}" -gt 0 ]; then
    say "compiling ${#po_files[@]} gettext catalog(s)"
    "$VENV/bin/pybabel" -q compile -d "$LOCALE_DIR" -D messages
fi

say "done"
