// The hot-SKU run: BUYERS concurrent buyers, spread over the given server instances, each
// holding one unit at a time through POST /api/v1/inventory/reservations until the stock is
// gone. Prints JSON: holds granted, refusals, other answers, and the seconds it took.
// Usage: node bench/hot_sku.mjs <token> <variant-id> <buyers> <base-url> [<base-url>…]
const [token, variant, buyers, ...bases] = process.argv.slice(2);
const body = JSON.stringify({ variant_id: variant, quantity: 1, hold_seconds: 900 });
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
let granted = 0, refused = 0, other = 0;
async function buyer(i) {
  const base = bases[i % bases.length];
  for (;;) {
    const answer = await fetch(`${base}/api/v1/inventory/reservations`, { method: "POST", headers, body });
    await answer.arrayBuffer();
    if (answer.status === 201) granted++;
    else if (answer.status === 409) { refused++; return; }
    else { other++; if (other > 100) return; }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(buyers) }, (_, i) => buyer(i)));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ granted, refused, other, seconds }));
