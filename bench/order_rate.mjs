// Orders placed through the REST API: WORKERS clients at once, alternating between the two
// instances, each placing orders one after another (pay on delivery, delivered in Lagos, three
// lines: three of the given variants, picked at random for each order, or the same three every
// time when three are given) until TOTAL orders have been placed. Variants given in groups
// (groups parted by ";") make orders of a line from each group, picked at random.
//
//   node bench/order_rate.mjs <base> <other> <token> <variants, comma-separated> <workers> <total>
//
// Prints JSON: orders placed (answered 201), other answers (with the first few), and the
// orders per second from the first request to the last answer.
const [base, other, token, variantList, workerCount, totalCount] = process.argv.slice(2);
const groups = (variantList ?? "").split(";").map((g) => g.split(",").filter(Boolean));
const variants = groups.flat();
const workers = Number(workerCount);
const total = Number(totalCount);
if (!base || !other || !token || variants.length < 3 || !workers || !total) {
  console.error("usage: node bench/order_rate.mjs <base> <other> <token> <v1,v2,v3,...> <workers> <total>");
  process.exit(2);
}

// Each run's idempotency keys are its own: a key seen before is a replay, answered without an order.
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
let next = 0;
let placed = 0;
const others = [];

// The lines' variants: three different ones of those given, or one of each group.
function picked() {
  if (groups.length > 1) return groups.map((g) => g[Math.floor(Math.random() * g.length)]);
  const left = [...variants];
  return [0, 1, 2].map(() => left.splice(Math.floor(Math.random() * left.length), 1)[0]);
}

async function place(host, n) {
  const answer = await fetch(`${host}/api/v1/orders`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": `bench-rate-${run}-${n}` },
    body: JSON.stringify({
      name: `Customer ${n}`,
      phone: `0803${String(2_000_000 + (n % 7_000_000)).padStart(7, "0")}`,
      fulfilment: "delivery",
      address: { line: `${n} Allen Avenue`, city: "Ikeja", state: "Lagos" },
      payment_method: "pay_on_delivery",
      note: "bench order",
      lines: picked().map((variant_id, i) => ({ variant_id, quantity: 1 + i })),
    }),
  });
  const body = await answer.text();
  if (answer.status === 201) placed += 1;
  else others.push(`${answer.status} ${body.slice(0, 200)}`);
}

async function worker(w) {
  const host = w % 2 === 0 ? base : other;
  for (let n = next++; n < total; n = next++) await place(host, n);
}

const started = performance.now();
await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  placed,
  others: others.length,
  other: others.slice(0, 5),
  seconds: Number(seconds.toFixed(2)),
  rate: Number((placed / seconds).toFixed(1)),
}));
