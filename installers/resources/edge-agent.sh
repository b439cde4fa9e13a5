#!/bin/sh
# The edge-agent command of the desktop installation (Linux AppImage/deb, macOS app):
# Electron's bundled Node runs the CLI from the app archive.
here=$(dirname "$(readlink -f "$0")")
ELECTRON_RUN_AS_NODE=1 exec "$here/../ndxp-edge-agent" "$here/app.asar/dist/cli/bin/edge-agent.mjs" "$@"
