#!/bin/sh
# Installs Debian's PostgreSQL server when initdb/pg_ctl are missing (as root: apt-get update
# once, then apt-get install -y). The tests start a throwaway server on a temp dir and a Unix
# socket; nothing is enabled or started system-wide. Prints the bin directory on success.
set -eu
find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}
if bin=$(find_bin); then echo "$bin"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq postgresql >&2
# Debian's package may start a cluster of its own: the tests do not use it.
bin=$(find_bin)
echo "$bin"
