#!/usr/bin/env bash
# Installs what CloudSlicer needs and a fresh Debian 12 machine lacks: ffmpeg/ffprobe (the slicers'
# encoder). With "test", also what the tests need: python3 (they drive the server with the public
# Python api2 helper, tools/uplynk_api2_auth.py).
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${1:-}" = "test" ]; then
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing ${missing[*]} with apt-get ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null
