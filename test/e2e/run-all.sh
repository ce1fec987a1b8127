#!/usr/bin/env bash
# End-to-end tests in a real VS Code: installs code-server/Chromium when missing (setup.sh), then runs
# the extension-host suite (through @vscode/test-electron) and the UI test (Playwright).
# Expects `npm run build` to have run.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
echo "== extension-host tests (code-server + @vscode/test-electron)"
node runIntegration.js
echo "== UI tests (code-server + Chromium via playwright-core)"
node ui.mjs
echo "== timeline webview in Chromium (production HTML and CSP, recorded init)"
node webview.mjs
