#!/usr/bin/env bash
# Vendors the explorer's browser bundles into emulator/static/vendor/ so the explorer works with
# no internet: nothing is fetched from a CDN at run time. Run once when changing versions, then
# commit emulator/static/vendor/ (no node_modules is created or committed).
#
#   scripts/vendor-explorer.sh            # the pinned versions below
#
# Takes the prebuilt UMD bundles from the npm registry packages (npm pack, no install):
#   graphiql   dist/index.umd.js, dist/style.css (MIT; fonts are inlined in the CSS)
#   react      umd/react.production.min.js (MIT)  -- GraphiQL 4 supports React 18 and 19;
#   react-dom  umd/react-dom.production.min.js    -- React 19 ships no UMD build, so 18.
# Licenses: vendor/licenses/ has the three packages' own LICENSE files and THIRD-PARTY-NOTICES.txt,
# the license of every package in graphiql's dependency tree (its bundle includes them: graphql-js,
# CodeMirror 5, @graphiql/react, ...), gathered from a throw-away install in a temporary folder.
# Versions and npm integrity hashes go to vendor/VERSIONS.txt.
set -euo pipefail

GRAPHIQL_VERSION=4.1.2
REACT_VERSION=18.3.1

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/emulator/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

packages=("graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION")
(cd "$work" && npm pack --silent --json "${packages[@]}" > pack.json)
for tarball in "$work"/*.tgz; do
    name="$(basename "$tarball" .tgz)"
    mkdir -p "$work/$name"
    tar -xzf "$tarball" -C "$work/$name" --strip-components=1
done

rm -rf "$out"
mkdir -p "$out/licenses"
# The source maps are not vendored (4.7 MB); drop the comment that points at them.
sed '/^\/\/# sourceMappingURL=/d' "$work/graphiql-$GRAPHIQL_VERSION/dist/index.umd.js" > "$out/graphiql.min.js"
cp "$work/graphiql-$GRAPHIQL_VERSION/dist/style.css" "$out/graphiql.min.css"
cp "$work/react-$REACT_VERSION/umd/react.production.min.js" "$out/react.production.min.js"
cp "$work/react-dom-$REACT_VERSION/umd/react-dom.production.min.js" "$out/react-dom.production.min.js"
cp "$work/graphiql-$GRAPHIQL_VERSION/LICENSE" "$out/licenses/graphiql.LICENSE"
cp "$work/react-$REACT_VERSION/LICENSE" "$out/licenses/react.LICENSE"
cp "$work/react-dom-$REACT_VERSION/LICENSE" "$out/licenses/react-dom.LICENSE"

python3 - "$work/pack.json" > "$out/VERSIONS.txt" <<'PY'
import json, sys
print("# Written by scripts/vendor-explorer.sh: npm packages vendored here, with their npm integrity.")
for entry in json.load(open(sys.argv[1])):
    print(f"{entry['name']}@{entry['version']} {entry['integrity']}")
PY

# The dependency tree, for its licenses only (nothing from it is copied but license texts).
mkdir -p "$work/tree"
(cd "$work/tree" && echo '{"private": true}' > package.json \
    && npm install --silent --ignore-scripts --no-audit --no-fund --omit=dev "${packages[@]}" >/dev/null)
python3 - "$work/tree/node_modules" > "$out/licenses/THIRD-PARTY-NOTICES.txt" <<'PY'
import json, pathlib, sys
modules = pathlib.Path(sys.argv[1])
print("Third-party software in graphiql.min.js, graphiql.min.css, react.production.min.js and")
print("react-dom.production.min.js: every npm package of their dependency tree, with its license.\n")
for manifest in sorted(modules.glob("**/package.json")):
    folder = manifest.parent
    if folder.parent.name != "node_modules" and folder.parent.parent.name != "node_modules":
        continue
    meta = json.loads(manifest.read_text())
    if "name" not in meta or "version" not in meta or folder.name != meta["name"].split("/")[-1]:
        continue
    texts = sorted(p for p in folder.iterdir() if p.is_file() and p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")))
    print("=" * 78)
    print(f"{meta['name']}@{meta['version']}  license: {meta.get('license', 'see package')}")
    print("-" * 78)
    print(texts[0].read_text(errors="replace").strip() if texts else "(no license file in the package)")
    print()
PY
du -sh "$out"
