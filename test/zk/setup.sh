#!/usr/bin/env bash
# Installs what the real-ensemble test (test/zk) needs, from Debian only: ZooKeeper 3.8 (with java) and
# kazoo for Debian's python3. Idempotent: does nothing when both are there. Waits for the dpkg lock
# rather than failing when another apt run holds it.
set -euo pipefail
need_apt=()
dpkg -s zookeeper >/dev/null 2>&1 || need_apt+=(zookeeper)
dpkg -s python3-kazoo >/dev/null 2>&1 || need_apt+=(python3-kazoo)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  LOCK=(-o DPkg::Lock::Timeout=120)
  $SUDO apt-get "${LOCK[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
echo "zookeeper $(dpkg-query -W -f='${Version}' zookeeper), python3-kazoo $(dpkg-query -W -f='${Version}' python3-kazoo), $(java -version 2>&1 | head -1)"
