#!/usr/bin/env bash
# Installs what CloudSlicer needs and a fresh Debian 12 machine lacks: ffmpeg/ffprobe (the slicers'
# encoder). With "test", also what the tests need: python3 (they drive the server with the public
# Python api2 helper, tools/uplynk_api2_auth.py), Debian's Chromium, and the pinned npm packages of the
# browser playback tests (hls.js, dash.js, playwright-core) in tests/player/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${1:-}" = "test" ]; then
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${missing[*]} with apt-get ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null

if [ "${1:-}" = "test" ]; then
  # The versions package-lock.json pins, installed again only when the lock file changed.
  player=tests/player
  stamp="$player/node_modules/.installed-lock"
  if ! cmp -s "$player/package-lock.json" "$stamp"; then
    echo "Installing the browser test packages (npm ci in $player) ..."
    (cd "$player" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
    cp "$player/package-lock.json" "$stamp"
  fi
fi
