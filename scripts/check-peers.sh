#!/usr/bin/env bash
# Before CI's tests start: runs as root (live capture and network namespaces need it) and every program and
# data set the tests compare against is present. Names whatever is missing and exits 1; in CI a missing
# peer would otherwise turn failures into skips. Uses only bash builtins, so a test can run it with any PATH.
# SHARED overrides where ../shared is looked for.
set -uo pipefail
script_dir="${BASH_SOURCE[0]%/*}"
[ "$script_dir" != "${BASH_SOURCE[0]}" ] || script_dir=.
repo="$(cd "$script_dir/.." && pwd)"
shared="${SHARED:-$repo/../shared}"
programs=(tshark ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovs-appctl tcpdump ip ping chromium)
problems=()
[ "$EUID" -eq 0 ] || problems+=("not running as root (uid $EUID): live-capture and network-namespace tests need root")
for p in "${programs[@]}"; do
  command -v "$p" >/dev/null 2>&1 || problems+=("$p not found on PATH (scripts/install-test-peers.sh installs it)")
done
[ -d "$shared/corpus/tcpdump" ] || problems+=("$shared/corpus/tcpdump not found: ../shared must sit beside the repository")
if [ ${#problems[@]} -gt 0 ]; then
  echo "check-peers: the tests cannot run completely here:" >&2
  for p in "${problems[@]}"; do echo "  - $p" >&2; done
  exit 1
fi
echo "check-peers: root, every peer program and ../shared present"
