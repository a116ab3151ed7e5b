#!/usr/bin/env bash
# Installs the real Tryton 6.0 server and the modules the Tryton connector is tested against, from
# Debian packages. Idempotent: when trytond and every module are already there it exits at once.
# Recommends are skipped on purpose: they pull LibreOffice, fonts and an MTA (~900 MB, minutes).
set -euo pipefail

PACKAGES=(
  tryton-server
  tryton-modules-purchase
  tryton-modules-stock
  tryton-modules-product
  tryton-modules-party
  tryton-modules-company
  tryton-modules-currency
  tryton-modules-account
  tryton-modules-account-invoice
  tryton-modules-account-asset
  tryton-modules-purchase-request
)
# Module folders inside the trytond package that the sandbox activates.
MODULES=(purchase stock product party company currency account account_invoice account_asset purchase_request)

# Asks the interpreter trytond itself runs on: a python3 earlier in PATH (pyenv) may not see it.
modules_dir() {
  local py
  py="$(head -1 "$(command -v trytond)" | sed -n 's/^#! *//p')"; py="${py:-/usr/bin/python3}"
  "${py%% *}" -c 'import os, trytond.modules as m; print(os.path.dirname(m.__file__))' 2>/dev/null || true
}

present() {
  command -v trytond >/dev/null 2>&1 || return 1
  command -v trytond-admin >/dev/null 2>&1 || return 1
  local dir
  dir="$(modules_dir)"
  [ -n "$dir" ] || return 1
  for m in "${MODULES[@]}"; do
    [ -d "$dir/$m" ] || return 1
  done
}

if present; then
  echo "tryton: already installed ($(trytond --version 2>/dev/null || echo unknown version))"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
# An apt cache that does not know tryton-server has never been updated on this machine.
if ! apt-cache show tryton-server >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"

if ! present; then
  echo "tryton: install finished but trytond or a module is missing" >&2
  exit 1
fi
echo "tryton: installed ($(trytond --version 2>/dev/null || echo unknown version))"
