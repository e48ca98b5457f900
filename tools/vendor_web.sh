#!/usr/bin/env bash
# Copies the workspace's JavaScript and map data into src/tally/web/static/vendor/ from
# the npm registry, at the exact versions of tools/web/package-lock.json (npm ci checks
# each package's integrity hash). The copied files are committed: the workspace, its
# tests and CI need no npm; run this only to change a version (edit tools/web/package.json,
# then `npm install --package-lock-only --omit-lockfile-registry-resolved` in tools/web).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/tally/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/web/package.json" "$here/web/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
mods="$work/node_modules"

rm -rf "$out"
mkdir -p "$out/world-atlas"
cp "$mods/vega/build/vega.min.js" "$mods/vega-lite/build/vega-lite.min.js" \
   "$mods/vega-embed/build/vega-embed.min.js" "$out/"
cp "$mods/world-atlas/countries-110m.json" "$out/world-atlas/"

# vega-interpreter (expressions evaluated without eval, which the workspace's
# Content-Security-Policy forbids) ships only as an ES module importing vega-util; vega's
# own build exports the three names it takes, so it becomes a plain script over `vega`.
interp="$mods/vega-interpreter/build/vega-interpreter.js"
imports="import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
exports="export { expression as expressionInterpreter };"
grep -qxF "$imports" "$interp" || { echo "vega-interpreter imports changed" >&2; exit 1; }
grep -qxF "$exports" "$interp" || { echo "vega-interpreter exports changed" >&2; exit 1; }
{
  echo "// vega-interpreter $(node -p "require('$mods/vega-interpreter/package.json').version"), made a plain script by tools/vendor_web.sh"
  echo "(function () {"
  echo "const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;"
  grep -vxF -e "$imports" -e "$exports" "$interp" | grep -v '^//# sourceMappingURL='
  echo "globalThis.vegaInterpreter = { expressionInterpreter: expression };"
  echo "})();"
} > "$out/vega-interpreter.js"

# each package's licence beside its files, and the versions in one place
for p in vega vega-lite vega-embed vega-interpreter world-atlas; do
  cp "$mods/$p/LICENSE" "$out/LICENSE.$p"
done
(cd "$mods" && for p in vega vega-lite vega-embed vega-interpreter world-atlas; do
  node -p "const j=require('./$p/package.json'); j.name+' '+j.version+' '+j.license"
done) > "$out/VERSIONS"
echo "vendored into $out:"
cat "$out/VERSIONS"
