#!/usr/bin/env bash
# One command to set up sysdesign and run its main job:
#   installs Graphviz (and Chromium, for the browser test) with the system package manager,
#   creates .venv, installs the package, then validates, checks and renders the bundled designs.
# Options: --no-browser (skip Chromium), --no-run (set up only).
set -euo pipefail
cd "$(dirname "$0")"

browser=1
run=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    --no-run) run=0 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }

# 1. System packages: Graphviz's `dot`, Python's venv, and Chromium for the HTML page test.
packages=()
command -v dot >/dev/null 2>&1 || packages+=(graphviz)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv python3-pip)
if [ "$browser" = 1 ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  packages+=(chromium)
fi
if [ ${#packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "setup.sh: need root to install ${packages[*]}: run 'apt-get install -y ${packages[*]}' as root" >&2
        exit 1
      fi
    fi
    say "installing ${packages[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    say "installing graphviz (Homebrew); install Chromium or Google Chrome yourself for the browser test"
    brew install graphviz
  else
    echo "setup.sh: please install ${packages[*]} with your package manager (Graphviz provides 'dot')" >&2
    exit 1
  fi
fi

# Mermaid's own parser, for the test that checks the Mermaid export (only where npm exists).
if command -v npm >/dev/null 2>&1; then
  say "installing Mermaid's parser for the tests (tools/mermaid, npm)"
  npm ci --prefix tools/mermaid --silent --no-audit --no-fund >/dev/null 2>&1 \
    || echo "setup.sh: npm could not install tools/mermaid; the Mermaid parser test will skip" >&2
  say "installing playwright-core for the live page test (tools/browser, npm; uses the system Chromium)"
  npm ci --prefix tools/browser --silent --no-audit --no-fund >/dev/null 2>&1 \
    || echo "setup.sh: npm could not install tools/browser; the live page browser test will skip" >&2
fi

# 2. The virtual environment and the package.
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
say "installing sysdesign into .venv"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[dev]'
# Bytecode now, as a regular `pip install` writes it: with PYTHONDONTWRITEBYTECODE set, every
# command would otherwise recompile the package's modules at each start.
.venv/bin/python -m compileall -q sysdesign >/dev/null

# 3. The main job: validate, check every stage, render every design. Each step runs even when an
#    earlier one reports problems (a half-drawn attempt of yours should not hide the rest).
if [ "$run" = 1 ]; then
  failed=0
  say "validating designs/"
  .venv/bin/sysdesign validate || failed=1
  say "checking designs/ (every stage)"
  .venv/bin/sysdesign check --all-stages --brief || failed=1
  say "rendering designs/ into renders/"
  .venv/bin/sysdesign render --all || failed=1
  if [ "$failed" = 1 ]; then
    echo "setup.sh: set-up is done, but a design above has problems (see the messages)" >&2
    exit 1
  fi
  say "done: open renders/<design>/ ; run the tests with: .venv/bin/pytest"
fi
