#!/usr/bin/env bash
# Installs what CloudSlicer needs and a fresh Debian 12 machine lacks: ffmpeg/ffprobe (the slicers'
# encoder) and libfdk-aac2 (the Fraunhofer AAC encoder behind HE-AAC exports; it is in Debian's
# non-free component, so a sources entry for it is added on the mirror already configured). With
# "test", also what the tests need: python3 (they drive the server with the public Python api2
# helper, tools/uplynk_api2_auth.py), Debian's Chromium, PostgreSQL's server binaries, and the pinned npm packages of the browser
# playback tests (hls.js, dash.js, playwright-core) in tests/player/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

# The enabled "deb" entries of every apt source, one "URI SUITE COMPONENT..." line each, from both the
# one-line format (sources.list, *.list) and deb822 (*.sources, what Debian 12 images ship).
apt_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    # deb [opts] uri suite components...: drop the [opts] block, which may hold spaces.
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 4 { $1 = ""; print substr($0, 2) }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no")
          for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++) print uris[u], suites[s], comps
        types = ""; enabled = ""; comps = ""; nu = 0; ns = 0; field = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { # a continuation line belongs to the field above it
        if (field == "uris") for (i = 1; i <= NF; i++) uris[++nu] = $i
        else if (field == "suites") for (i = 1; i <= NF; i++) suites[++ns] = $i
        else if (field == "components") comps = comps " " $0
        next
      }
      {
        field = tolower($1); sub(/:$/, "", field); $1 = ""; value = substr($0, 2)
        if (field == "types") types = value
        else if (field == "enabled") enabled = tolower(value)
        else if (field == "components") comps = value
        else if (field == "uris") { n = split(value, parts, " "); for (i = 1; i <= n; i++) uris[++nu] = parts[i] }
        else if (field == "suites") { n = split(value, parts, " "); for (i = 1; i <= n; i++) suites[++ns] = parts[i] }
      }
      END { flush() }
    ' "$f"
  done
}

# libfdk-aac2 lives in non-free. Add "<codename> non-free" on the mirror that already serves
# "<codename> main" (not the security mirror), unless some source already has non-free for it.
add_non_free_source() {
  local codename mirror keyring file
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  if apt_entries | awk -v c="$codename" '$2 == c { for (i = 3; i <= NF; i++) if ($i == "non-free") found = 1 } END { exit !found }'; then
    return
  fi
  mirror=$(apt_entries | awk -v c="$codename" '$2 == c { print $1; exit }')
  mirror=${mirror:-http://deb.debian.org/debian}
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  file=/etc/apt/sources.list.d/cloudslicer-non-free.sources
  echo "Adding a sources entry for $codename non-free on $mirror ($file) ..."
  {
    echo "# Added by CloudSlicer scripts/deps.sh: libfdk-aac2 (the HE-AAC encoder) is in non-free."
    echo "Types: deb"
    echo "URIs: $mirror"
    echo "Suites: $codename"
    echo "Components: non-free"
    if [ -r "$keyring" ]; then echo "Signed-By: $keyring"; fi
  } | $sudo tee "$file" >/dev/null
}

has_fdk_aac() {
  dpkg-query -W -f='${Status}' libfdk-aac2 2>/dev/null | grep -q 'ok installed'
}

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

missing=()
has_fdk_aac || missing+=(libfdk-aac2)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${1:-}" = "test" ]; then
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # The PostgreSQL store's tests start private clusters from Debian's server binaries (run as user postgres).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && id postgres >/dev/null 2>&1 || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  case " ${missing[*]} " in *" libfdk-aac2 "*) add_non_free_source ;; esac
  echo "Installing ${missing[*]} with apt-get ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null && has_fdk_aac

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
