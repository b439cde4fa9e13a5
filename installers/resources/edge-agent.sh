#!/bin/sh
# The edge-agent command of the desktop installation (Linux AppImage/deb, macOS app):
# Electron's bundled Node runs the CLI from the app archive. This file is the app's
# resources/edge-agent; it may be reached through a symbolic link (/usr/local/bin/edge-agent).
# `readlink -f` is missing before macOS 12.3: links are followed one at a time.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
here=$(cd "$(dirname "$self")" && pwd -P)
if [ -d "$here/../MacOS" ]; then
  # macOS: <productName>.app/Contents/Resources/edge-agent; the app's only executable is Contents/MacOS/<productName>.
  for app in "$here/../MacOS"/*; do
    [ -f "$app" ] && [ -x "$app" ] && break
  done
else
  # Linux: /opt/<productName>/resources/edge-agent beside /opt/<productName>/ndxp-edge-agent.
  app=$here/../ndxp-edge-agent
fi
ELECTRON_RUN_AS_NODE=1 exec "$app" "$here/app.asar/dist/cli/bin/edge-agent.mjs" "$@"
