#!/usr/bin/env bash
# Install the system programs the tests use, when they are missing and we may install:
# Debian's Chromium (browser and accessibility tests) and LibreOffice Writer (the independent
# reader of the generated Word documents). With "bench": wrk as well.
# Where nothing can be installed, the tests that need a program skip and say why.
set -u
want=()
command -v chromium >/dev/null 2>&1 || want+=(chromium)
if ! command -v soffice >/dev/null 2>&1; then
  # The headless build is smaller; older releases only have the full one.
  if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
    want+=(libreoffice-writer-nogui)
  else
    want+=(libreoffice-writer)
  fi
fi
if [ "${1:-}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || want+=(wrk)
fi
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing ${want[*]} and cannot install (not root or no apt-get); those tests will skip" >&2
  exit 0
fi
echo "installing ${want[*]} with apt-get …" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 \
  || echo "note: apt-get could not install ${want[*]}; those tests will skip" >&2
exit 0
