# Helpers shared by scripts/start and scripts/test (sourced, not executed).
# Both run from the repository root and keep everything in ./.venv.

VENV="${SOFTWHERE_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33mwarning: %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror: %s\033[0m\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# Create the virtual environment with python3 >= 3.11. On a bare Debian the venv
# module lives in python3-venv: install it when we are root.
ensure_venv() {
    [ -x "$VENV/bin/python" ] && return 0
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found (Python 3.11 or newer is required)"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$PYTHON" --version 2>&1) is too old: Python 3.11 or newer is required"
    say "Creating $VENV"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        if is_root && command -v apt-get >/dev/null; then
            say "Installing python3-venv (Debian)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null \
                || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null; } \
                || die "could not install python3-venv"
            "$PYTHON" -m venv "$VENV" || die "could not create $VENV"
        else
            die "could not create $VENV: install python3-venv (apt-get install python3-venv)"
        fi
    fi
}

# pip install -e ".[extra]" within constraints.txt (the versions tested) unless the same
# pyproject.toml and constraints were already installed with that extra (a stamp in the
# venv). "dev" includes the runtime dependencies.
ensure_installed() {
    local extra="$1" digest stamp
    digest="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-64)"
    for stamp in "$VENV/.installed-$extra" "$VENV/.installed-dev"; do
        if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
            return 0
        fi
    done
    local target="."
    [ -n "$extra" ] && target=".[$extra]"
    say "Installing the project (pip install -e \"$target\"); the first time takes a few minutes"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip >/dev/null \
        || warn "could not upgrade pip; trying with the current one"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -c constraints.txt -e "$target" \
        || die "pip install -e \"$target\" failed"
    echo "$digest" > "$VENV/.installed-$extra"
}
