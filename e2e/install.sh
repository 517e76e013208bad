#!/usr/bin/env bash
# Install the tools the e2e suite needs (a real VS Code host via code-server, and
# playwright-core to drive Debian's Chromium) into a cached folder, offline from
# GitHub: follows /work/shared/vscode-e2e/recipe.sh. Idempotent: skipped when the
# tools for this code-server version and Node ABI are already there.
#
# Env: E2E_TOOLS=DIR (default <repo>/.e2e/tools), SKIP_APT=1 to skip apt-get.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CS_VERSION=4.99.4            # last code-server that runs on Node 20 (VS Code 1.99.3)
PW_VERSION=1.65.1            # playwright-core only; the browser comes from apt
RG_PKG_VERSION=1.15.11       # @vscode/ripgrep pinned by code-server 4.99.4
RG_RELEASE=v13.0.0-10
ABI="$(node -p 'process.versions.modules')"
TOOLS="${E2E_TOOLS:-$ROOT/.e2e/tools}"
STAMP="$TOOLS/.installed-cs$CS_VERSION-pw$PW_VERSION-abi$ABI"

need_apt=0
for b in chromium rg curl make g++ python3; do command -v "$b" >/dev/null 2>&1 || need_apt=1; done
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || need_apt=1
if [ "$need_apt" = 1 ] && [ "${SKIP_APT:-0}" != 1 ]; then
  echo "e2e/install.sh: apt-get install build-essential python3 libkrb5-dev ripgrep chromium curl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq build-essential python3 libkrb5-dev ripgrep chromium curl >/dev/null
fi

if [ -f "$STAMP" ] && [ -x "$TOOLS/node_modules/.bin/code-server" ] && [ -d "$TOOLS/node_modules/playwright-core" ]; then
  echo "e2e/install.sh: tools already installed in $TOOLS (code-server $CS_VERSION, playwright-core $PW_VERSION, node ABI $ABI)"
  exit 0
fi

NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
[ -f "$NODE_PREFIX/include/node/common.gypi" ] || { echo "node headers not found under $NODE_PREFIX/include/node" >&2; exit 3; }
export npm_config_nodedir="$NODE_PREFIX"
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_build_from_source=kerberos
export npm_config_argon2_binary_host_mirror=http://127.0.0.1:9/
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

case "$(uname -m)" in x86_64) RG_TARGET=x86_64-unknown-linux-musl ;; aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported arch $(uname -m)" >&2; exit 4 ;; esac
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-$RG_RELEASE-$RG_TARGET.tar.gz" -C "$(dirname "$(readlink -f "$(command -v rg)")")" rg

rm -rf "$TOOLS"; mkdir -p "$TOOLS"; cd "$TOOLS"
echo '{ "name": "mmlens-e2e-tools", "version": "1.0.0", "private": true }' > package.json
echo "e2e/install.sh: npm install code-server@$CS_VERSION playwright-core@$PW_VERSION into $TOOLS (about a minute)"
T0=$(date +%s)
npm install --no-fund --no-audit --foreground-scripts "code-server@$CS_VERSION" "playwright-core@$PW_VERSION" > "$TOOLS/npm-install.log" 2>&1 \
  || { tail -50 "$TOOLS/npm-install.log"; exit 5; }
VS="$TOOLS/node_modules/code-server/lib/vscode"
test -x "$VS/node_modules/@vscode/ripgrep/bin/rg" && test -f "$VS/node_modules/node-pty/build/Release/pty.node" \
  && test -f "$VS/node_modules/@vscode/spdlog/build/Release/spdlog.node" && test -L "$VS/node_modules.asar" \
  || { echo "code-server postinstall incomplete" >&2; tail -50 "$TOOLS/npm-install.log"; exit 6; }
touch "$STAMP"
echo "e2e/install.sh: done in $(( $(date +%s) - T0 ))s"
