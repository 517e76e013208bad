#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code (code-server 4.99.4 =
# VS Code 1.99.3) driven by Debian's Chromium through playwright-core. Needs
# `bash e2e/install.sh` first. Builds the .vsix, installs it into a fresh
# extensions dir, serves a workspace with the seed mails, the example series and
# a 20 MB mbox on 127.0.0.1, runs e2e/spec.js, and stops the server.
# Screenshots: .e2e/shots/. Exit status: 0 when every check passed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${E2E_TOOLS:-$ROOT/.e2e/tools}"
CODE_SERVER="$TOOLS/node_modules/.bin/code-server"
[ -x "$CODE_SERVER" ] && [ -d "$TOOLS/node_modules/playwright-core" ] || { echo "e2e: tools missing in $TOOLS; run: bash e2e/install.sh" >&2; exit 2; }
command -v chromium >/dev/null || { echo "e2e: chromium missing; run: bash e2e/install.sh" >&2; exit 2; }
SEEDS="${SEEDS:-$ROOT/../shared/seeds}"
[ -d "$SEEDS" ] || { echo "e2e: seed mails not found at $SEEDS (set SEEDS=...)" >&2; exit 2; }

T0=$(date +%s)
echo "== e2e: package"
npm run --silent package > .e2e/package.log 2>&1 || { tail -30 .e2e/package.log; exit 3; }
VERSION="$(node -p 'require("./package.json").version')"
VSIX="$ROOT/mmlens-$VERSION.vsix"
[ -f "$VSIX" ] || { echo "e2e: $VSIX not built" >&2; tail -30 .e2e/package.log; exit 3; }

RUN="$ROOT/.e2e/run"; WS="$ROOT/.e2e/ws"; SHOTS="$ROOT/.e2e/shots"
rm -rf "$RUN" "$WS" "$SHOTS"
mkdir -p "$RUN/home" "$RUN/exts" "$RUN/data/User" "$WS/seeds" "$WS/examples" "$SHOTS"
cp "$SEEDS"/002_*.txt "$SEEDS"/004_*.txt "$WS/seeds/"
cp e2e/fixtures/series.mbx e2e/fixtures/edit.patch "$WS/examples/"
if [ -d examples ]; then cp -r examples/. "$WS/examples/"; fi
# A 20 MB mbox: the series repeated; typed into while it is analysed.
node -e '
  const fs = require("fs"); const one = fs.readFileSync(process.argv[1], "utf8"); const parts = []; let n = 0, size = 0;
  while (size < 20e6) { const m = one.replace(/^From mmlens-e2e /gm, `From mmlens-e2e-${n} `); parts.push(m); size += m.length; n++; }
  fs.writeFileSync(process.argv[2], parts.join(""));' e2e/fixtures/series.mbx "$WS/big.mbox"

echo "== e2e: reference run of the engine"
node --import tsx e2e/reference.ts "$WS"/seeds/*.txt "$WS"/examples/* > "$RUN/reference.json"

printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$RUN/config.yaml"
cat > "$RUN/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "npm.autoDetect": "off",
  "typescript.disableAutomaticTypeAcquisition": true,
  "workbench.editor.enablePreview": false,
  "problems.defaultViewMode": "table",
  "editor.codeLens": true,
  "editor.hover.delay": 100,
  "files.exclude": { "**/.vscode": true },
  "workbench.editorLargeFileConfirmation": 1024
}
JSON
CS_ENV=(env HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" XDG_CACHE_HOME="$RUN/home/.cache")
CS_ARGS=(--config "$RUN/config.yaml" --auth none --disable-telemetry --disable-update-check --disable-workspace-trust
         --extensions-dir "$RUN/exts" --user-data-dir "$RUN/data")

echo "== e2e: install $(basename "$VSIX") into code-server"
"${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$VSIX" > "$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; exit 4; }
ls "$RUN/exts" | grep -q "^mmlens.mmlens-$VERSION" || { echo "e2e: extension not installed" >&2; cat "$RUN/install.log"; exit 4; }
grep -h . "$RUN/install.log" | tail -2

SERVER_PGID=""
cleanup() { if [ -n "$SERVER_PGID" ]; then kill -- "-$SERVER_PGID" 2>/dev/null || true; sleep 1; kill -9 -- "-$SERVER_PGID" 2>/dev/null || true; fi; }
trap cleanup EXIT
setsid "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --bind-addr 127.0.0.1:0 "$WS" > "$RUN/server.log" 2>&1 < /dev/null &
SERVER_PGID=$!
URL=""
for _ in $(seq 1 600); do
  URL="$(sed -n 's#.*HTTP server listening on \(http://[^ ]*\)/.*#\1#p' "$RUN/server.log" | head -1)"
  [ -n "$URL" ] && curl -fsS -o /dev/null "$URL/healthz" && break
  kill -0 "$SERVER_PGID" 2>/dev/null || { cat "$RUN/server.log"; exit 5; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "e2e: code-server did not start" >&2; cat "$RUN/server.log"; exit 5; }
echo "== e2e: code-server at $URL"

if [ "${E2E_HOLD:-0}" = 1 ]; then echo "$URL" > "$RUN/url"; echo "e2e: holding the server (E2E_HOLD=1); stop with kill -- -$SERVER_PGID"; wait; fi
set +e
NODE_PATH="$TOOLS/node_modules" HOME="$RUN/home" node e2e/spec.js "$URL" "$WS" "$RUN/reference.json" "$SHOTS" "$RUN"
RC=$?
set -e
LOG="$(ls "$RUN"/data/logs/*/exthost1/mmlens.mmlens/mmlens.log 2>/dev/null | head -1 || true)"
if [ -n "$LOG" ]; then echo "== e2e: mmlens output channel ($LOG)"; cp "$LOG" "$SHOTS/mmlens-output.log"; grep -E "activated|checked|failed|budget" "$LOG" | cut -c1-240 | head -30; fi
echo "== e2e: $([ $RC = 0 ] && echo PASS || echo FAIL) in $(( $(date +%s) - T0 ))s; screenshots in $SHOTS"
exit $RC
