#!/usr/bin/env bash
# The Debian packages Bilag needs that pip cannot install, checked and installed in one place.
# Used by `make run`, `make test`, `make serve` and `.ci/run`.
#
#   scripts/system-deps.sh run            what the app needs (WeasyPrint's libraries, fonts, poppler)
#   scripts/system-deps.sh test           run + what the tests drive (Chromium, LibreOffice)
#   scripts/system-deps.sh ci             test + PostgreSQL, make, gettext
#   scripts/system-deps.sh test --without browser     leave out a group (browser, pdf, office)
#   scripts/system-deps.sh --list test    print the packages of a set and exit
#
# Each package is checked with dpkg-query. Missing ones are installed with apt-get when this
# user may (root, or sudo without a password); otherwise the script stops with exit 1 and ONE
# line naming the packages and the command that installs them. Nothing is installed twice:
# when everything is present no apt-get runs. SYSTEM_DEPS_FORCE_APT=1 runs apt-get anyway.
set -euo pipefail

# --- the packages, in groups --------------------------------------------------------------
RUN_PACKAGES=(
    fonts-dejavu-core fonts-liberation2 fontconfig      # fonts for the printed annex
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0   # WeasyPrint
    poppler-utils                                        # pdfunite joins the annex's parts
)
BROWSER_PACKAGES=(chromium)                  # browser tests (Playwright, /usr/bin/chromium)
PDF_PACKAGES=()   # pdftotext / pdftoppm, what the PDF tests read: poppler-utils, already in run
OFFICE_PACKAGES=(libreoffice-calc-nogui)     # soffice --headless: recalculates exported xlsx
CI_PACKAGES=(make postgresql gettext)        # CI: the test database and makemessages

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

list=0
set_name=""
without=()
while [ $# -gt 0 ]; do
    case "$1" in
        --list) list=1 ;;
        --without) shift; [ $# -gt 0 ] || usage; without+=("$1") ;;
        --without=*) without+=("${1#--without=}") ;;
        run|test|ci) set_name="$1" ;;
        -h|--help) usage ;;
        *) echo "system-deps: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
[ -n "$set_name" ] || usage

excluded() {  # is group $1 left out with --without?
    local g
    for g in "${without[@]+"${without[@]}"}"; do [ "$g" = "$1" ] && return 0; done
    return 1
}

packages=("${RUN_PACKAGES[@]}")
if [ "$set_name" != run ]; then
    excluded browser || packages+=("${BROWSER_PACKAGES[@]}")
    excluded pdf || packages+=("${PDF_PACKAGES[@]}")
    excluded office || packages+=("${OFFICE_PACKAGES[@]}")
fi
if [ "$set_name" = ci ]; then packages+=("${CI_PACKAGES[@]}"); fi

if [ "$list" = 1 ]; then printf '%s\n' "${packages[@]}"; exit 0; fi

# --- what is missing ----------------------------------------------------------------------
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: no dpkg-query (not Debian/Ubuntu): make sure these are installed: ${packages[*]}" >&2
    exit 0
fi
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -eq 0 ] && [ "${SYSTEM_DEPS_FORCE_APT:-}" != 1 ]; then
    exit 0
fi
to_install=("${missing[@]+"${missing[@]}"}")
[ "${#to_install[@]}" -gt 0 ] || to_install=("${packages[@]}")

# --- may this user install? -----------------------------------------------------------------
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        sudo="sudo -n"
    else
        echo "error: missing Debian packages: ${to_install[*]}; install them with: sudo apt-get install --no-install-recommends ${to_install[*]}" >&2
        exit 1
    fi
fi

# --- install --------------------------------------------------------------------------------
echo "system-deps: installing ${to_install[*]}"
log="$(mktemp "${TMPDIR:-/tmp}/bilag-apt.XXXXXX")"
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS
# --no-install-recommends: LibreOffice and Chromium pull in ~100 more packages otherwise
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 "${to_install[@]}"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "error: apt-get install ${to_install[*]} failed (log: $log)" >&2
    exit 1
fi
rm -f "$log"
echo "system-deps: installed in $((SECONDS - t0))s"
