#!/usr/bin/env bash
# Builds the site into target/site, where `serve` reads it: the server, the browser's wasm and
# its JavaScript glue (wasm-bindgen), the stylesheet (Tailwind) and the public files.
#   scripts/build-site.sh                development build, quickest to rebuild (`make dev`, `make test`)
#   scripts/build-site.sh --release-wasm the browser's files as shoppers get them (optimised wasm,
#                                        minified CSS) with a development server (`make run`)
#   scripts/build-site.sh --release      optimised server and browser files, as deployed
# SITE_ROOT moves the output (the server reads the same variable).
#
# Cargo is called directly, with the same features and environment as `cargo test`, so the
# server here and the tests' server share every compiled crate (a tool that sets Leptos'
# environment variables at compile time makes cargo build the Leptos crates twice).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=${SQLX_OFFLINE:-true}

release=false
server_profile=dev wasm_profile=wasm-dev
case "${1:-}" in
  "") ;;
  --release) release=true server_profile=release wasm_profile=wasm-release ;;
  --release-wasm) release=true wasm_profile=wasm-release ;;
  *) echo "usage: scripts/build-site.sh [--release | --release-wasm]" >&2; exit 2 ;;
esac

site=${SITE_ROOT:-target/site}
target=${CARGO_TARGET_DIR:-target}
pkg=$site/pkg
mkdir -p "$pkg"

# The server and the wasm side by side: each spends long stretches on one core (type-checking
# the pages), so together they keep both busy. The wasm has a target folder of its own, as two
# cargos cannot share one; they share no compiled crate anyway (other target, other profile).
front=${FRONT_TARGET_DIR:-$target/front}
cargo build --package server --profile "$server_profile" &
server=$!
cargo build --package app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --profile "$wasm_profile" --target-dir "$front" &
browser=$!
trap 'kill "$server" "$browser" 2>/dev/null || true' EXIT
wait "$server"
wait "$browser"
trap - EXIT
# The till's own wasm, after the back office's: the two share their compiled Leptos, and one
# cargo at a time may use the folder.
cargo build --package till --lib --target wasm32-unknown-unknown --profile "$wasm_profile" --target-dir "$front"

# The wasms and the modules that start them: sc1.js and sc1_bg.wasm (the back office, the
# vendor portal), till.js and till_bg.wasm (the till), renamed by their content below.
wasm-bindgen "$front/wasm32-unknown-unknown/$wasm_profile/app.wasm" \
  --target web --no-typescript --out-dir "$pkg" --out-name sc1
wasm-bindgen "$front/wasm32-unknown-unknown/$wasm_profile/till.wasm" \
  --target web --no-typescript --out-dir "$pkg" --out-name till
if $release; then
  for wasm in sc1_bg till_bg; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/$wasm.wasm" -o "$pkg/$wasm.wasm"
  done
fi

css_flags=()
$release && css_flags=(--minify)
tailwindcss --input style/main.css --output "$pkg/sc1.css" "${css_flags[@]}" 2>/dev/null
# The storefront's own script, small enough to need no build of its own.
cp app/browser/store.js "$pkg/store.js"

# Content-hashed names and brotli and gzip copies made once here, not at every request. Brotli's
# best quality takes seconds on the optimised wasm; the development wasm is five times larger and
# rebuilt often, so it gets a quicker setting.
quality=5
$release && quality=11
node scripts/assets.mjs "$pkg" "$quality"

cp -r public/. "$site/"
