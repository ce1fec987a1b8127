#!/usr/bin/env bash
# The benchmark's anchors: ripgrep and lnav from Debian, installed when missing.
set -euo pipefail
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v lnav >/dev/null || need+=(lnav)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Another apt run may hold the dpkg lock: wait for it, not fail.
  LOCK=(-o DPkg::Lock::Timeout=120)
  $SUDO apt-get "${LOCK[@]}" update -qq && $SUDO apt-get "${LOCK[@]}" install -y -qq "${need[@]}" >/dev/null || echo "could not install ${need[*]}; those rows will be skipped"
fi
echo "rg: $(rg --version 2>/dev/null | head -1 || echo missing); lnav: $(lnav -V 2>/dev/null | head -1 || echo missing)"
