// The hot-SKU run: BUYERS concurrent buyers, spread over the given server instances, each
// holding one unit at a time through POST /api/v1/inventory/reservations until the stock is
// gone. Prints JSON: holds granted, refusals, other answers, and the seconds it took.
// Node's own HTTP client with kept-alive connections: `fetch` costs several times the CPU per
// request and, on two cores shared with the servers and the database, measured itself.
// Usage: node bench/hot_sku.mjs <token> <variant-id> <buyers> <base-url> [<base-url>…]
import http from "node:http";

const [token, variant, buyers, ...bases] = process.argv.slice(2);
const body = JSON.stringify({ variant_id: variant, quantity: 1, hold_seconds: 900 });
const targets = bases.map((base) => ({ url: new URL(base), agent: new http.Agent({ keepAlive: true }) }));
const headers = {
  authorization: `Bearer ${token}`,
  "content-type": "application/json",
  "content-length": Buffer.byteLength(body),
};

function hold(target) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.url.hostname,
        port: target.url.port,
        method: "POST",
        path: "/api/v1/inventory/reservations",
        agent: target.agent,
        headers,
      },
      (answer) => {
        answer.resume();
        answer.on("end", () => resolve(answer.statusCode));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

let granted = 0, refused = 0, other = 0;
async function buyer(i) {
  const target = targets[i % targets.length];
  for (;;) {
    const status = await hold(target).catch(() => 0);
    if (status === 201) granted++;
    else if (status === 409) { refused++; return; }
    else { other++; if (other > 100) return; }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(buyers) }, (_, i) => buyer(i)));
const seconds = (performance.now() - started) / 1000;
for (const target of targets) target.agent.destroy();
console.log(JSON.stringify({ granted, refused, other, seconds }));
