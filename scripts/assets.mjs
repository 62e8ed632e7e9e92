// Names the site's built assets by their content and compresses them once, at build time.
//
//   node scripts/assets.mjs <pkg folder> <brotli quality 0-11>
//
// In the folder, sc1.js and sc1_bg.wasm (the wasm-bindgen output) become sc1-<hash>.js and
// sc1-<hash>_bg.wasm (one hash over both, as one is useless without the other), sc1.css
// becomes sc1-<hash>.css, the storefront's script store.js becomes store-<hash>.js, and the
// till's till.js and till_bg.wasm become till-<hash>.js and till-<hash>_bg.wasm.
// Each gets a .br and a .gz beside it, which the server sends as they
// are to browsers that accept them, so no request spends processor time compressing. The names
// are written to assets.txt, which the server reads to name them in its pages. Files of earlier
// builds are removed. A name that changes whenever the content does lets browsers keep the
// files for a year without asking again.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [dir, qualityText] = process.argv.slice(2);
const quality = Number(qualityText);
if (!dir || !Number.isInteger(quality) || quality < 0 || quality > 11) {
  console.error("usage: node scripts/assets.mjs <pkg folder> <brotli quality 0-11>");
  process.exit(2);
}

const hashOf = (...names) => {
  const hash = createHash("sha256");
  for (const name of names) hash.update(readFileSync(join(dir, name)));
  return hash.digest("hex").slice(0, 16);
};
const app = `sc1-${hashOf("sc1.js", "sc1_bg.wasm")}`;
const css = `sc1-${hashOf("sc1.css")}.css`;
const store = `store-${hashOf("store.js")}.js`;
const till = `till-${hashOf("till.js", "till_bg.wasm")}`;
const renames = [
  ["sc1.js", `${app}.js`],
  ["sc1_bg.wasm", `${app}_bg.wasm`],
  ["sc1.css", css],
  ["store.js", store],
  ["till.js", `${till}.js`],
  ["till_bg.wasm", `${till}_bg.wasm`],
];
const current = new Set(renames.map(([, to]) => to));

// What earlier builds left: other hashed names and their compressed copies.
for (const name of readdirSync(dir)) {
  const base = name.replace(/\.(br|gz)$/, "");
  if (/^(sc1|store|till)-[0-9a-f]{16}/.test(base) && !current.has(base)) rmSync(join(dir, name));
}

for (const [from, to] of renames) {
  renameSync(join(dir, from), join(dir, to));
  const body = readFileSync(join(dir, to));
  writeFileSync(join(dir, `${to}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(
    join(dir, `${to}.br`),
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [constants.BROTLI_PARAM_MODE]: to.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }),
  );
}
writeFileSync(join(dir, "assets.txt"), `app ${app}\ncss ${css}\nstore ${store}\ntill ${till}\n`);
console.log(`assets: ${app}.js, ${app}_bg.wasm, ${css}, ${store}, ${till}.js, ${till}_bg.wasm (with .br and .gz)`);
