#!/usr/bin/env bash
# End-to-end tests in a real VS Code: installs code-server/Chromium when missing (setup.sh), then runs
# the extension-host suite (through @vscode/test-electron), the UI tests in code-server (Playwright), and
# the webview pages alone in Chromium.
# Expects `npm run build` to have run.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
echo "== extension-host tests (code-server + @vscode/test-electron)"
node runIntegration.js
echo "== UI tests (code-server + Chromium via playwright-core)"
node ui.mjs
echo "== Cluster Log view (code-server + Chromium)"
node clusterLogUi.mjs
echo "== time sync in code-server (two nodes side by side, the timeline cursor, an overlap in sync)"
node timeSyncUi.mjs
echo "== timeline webview in Chromium (production HTML and CSP, recorded init)"
node webview.mjs
echo "== result table webview in Chromium (production HTML and CSP, recorded count and stats)"
node tableView.mjs
