#!/usr/bin/env bash
# Make sure the Debian packages the tests need are present; quiet when they are.
#   chromium        /usr/bin/chromium   browser tests (Playwright drives Debian's Chromium;
#                                        `playwright install` is not used)
#   fonts-noto-cjk                      CJK glyphs for screenshots / PDF rendering
#   poppler-utils   pdftoppm            PDF -> image for visual checks; pdffonts, pdftotext
#   libpango-1.0-0 libpangoft2-1.0-0    WeasyPrint's text layout (make pdf)
#   nodejs npm      node, npm           make audit: axe-core, Lighthouse (tools/audit/package.json)
#   default-jre-headless  java          make audit: the Nu HTML checker (vnu.jar)
# Idempotent.  As root it runs `apt-get update` once and installs; otherwise it tries
# `sudo -n`; failing that it says what to install and exits 1.
# CHROMIUM_BIN overrides the Chromium path that is checked (default /usr/bin/chromium).
set -euo pipefail

CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}
# The packages, by what they provide, are named in missing_now below.

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

# missing_now: fills the array `missing` with what is absent (run before and after apt-get)
# and `wanted` with the Debian packages that provide it. Only those are installed: a machine
# whose node and npm come from elsewhere (NodeSource's nodejs bundles npm and conflicts with
# Debian's npm package) keeps them.
missing_now() {
    missing=() wanted=()
    [[ -x $CHROMIUM_BIN ]] || { missing+=("chromium ($CHROMIUM_BIN)"); wanted+=(chromium); }
    installed fonts-noto-cjk || { missing+=("fonts-noto-cjk"); wanted+=(fonts-noto-cjk); }
    command -v pdftoppm >/dev/null 2>&1 || { missing+=("poppler-utils (pdftoppm)"); wanted+=(poppler-utils); }
    for lib in libpango-1.0-0 libpangoft2-1.0-0; do
        installed "$lib" || { missing+=("$lib"); wanted+=("$lib"); }
    done
    for cmd in node:nodejs npm:npm java:default-jre-headless; do
        command -v "${cmd%%:*}" >/dev/null 2>&1 || { missing+=("${cmd#*:} (${cmd%%:*})"); wanted+=("${cmd#*:}"); }
    done
}

missing_now
(( ${#missing[@]} == 0 )) && exit 0

echo "ensure-system-packages: missing: ${missing[*]}" >&2

# --no-upgrade: packages that are already installed are left at their version.
install_cmd=(apt-get install -y --no-install-recommends --no-upgrade "${wanted[@]}")
if (( EUID == 0 )); then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    cat >&2 <<MSG
ensure-system-packages: cannot install them (not root, and no password-less sudo).
Please run, as root:
    apt-get update
    DEBIAN_FRONTEND=noninteractive ${install_cmd[*]}
MSG
    exit 1
fi

echo "ensure-system-packages: installing ${wanted[*]} with apt-get" >&2
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "${install_cmd[@]}"

# Re-check, so a partial install fails loudly here rather than in the tests.
missing_now
if (( ${#missing[@]} )); then
    echo "ensure-system-packages: still missing after apt-get: ${missing[*]}" >&2
    exit 1
fi
