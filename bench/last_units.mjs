// The last units: SHOPPERS shoppers, each in a browser of their own (a cookie jar, an address),
// put one unit of the variant in their cart and check out at the same moment through the two
// instances, paying through the test gateway; those whose order was placed approve the payment.
// Every request is the plain form post a browser without its script makes.
//
//   node bench/last_units.mjs <base> <other> <slug> <product> <variant> <shoppers>
//
// Prints JSON: how many orders were placed, paid and refused, each refusal's message, the
// answers that were neither, and the seconds from the first checkout to the last answer.
const [base, other, slug, product, variant, count] = process.argv.slice(2);
const shoppers = Number(count);
if (!base || !other || !slug || !product || !variant || !shoppers) {
  console.error("usage: node bench/last_units.mjs <base> <other> <slug> <product> <variant> <shoppers>");
  process.exit(2);
}

// A form post as a browser makes it: this site's origin, the page it was on, the shopper's
// cookies and address (believed from X-Forwarded-For, as behind the proxy). Answers the
// redirect's target and the cookies set.
async function post(host, shopper, path, fields, from) {
  const answer = await fetch(`${host}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "text/html",
      origin: host,
      referer: `${host}${from}`,
      cookie: shopper.cookies.join("; "),
      "x-forwarded-for": shopper.address,
    },
    body: new URLSearchParams(fields).toString(),
  });
  for (const cookie of answer.headers.getSetCookie()) shopper.cookies.push(cookie.split(";")[0]);
  await answer.arrayBuffer();
  return { status: answer.status, location: answer.headers.get("location") ?? "" };
}

// The refusal a redirect carries (`__err`: the error, as base64 JSON), as the page says it.
function refusal(location) {
  const carried = new URL(location, base).searchParams.get("__err");
  if (!carried) return null;
  try {
    const said = (value) => (typeof value !== "object" || value === null ? null
      : typeof value.message === "string" ? value.message : Object.values(value).map(said).find(Boolean) ?? null);
    return said(JSON.parse(Buffer.from(carried, "base64").toString("utf8"))) ?? carried;
  } catch {
    return carried;
  }
}

async function shop(i) {
  const host = i % 2 === 0 ? base : other;
  const shopper = { cookies: [], address: `10.${(i >> 8) & 255}.${i & 255}.7` };
  const added = await post(host, shopper, "/rpc/add_to_cart", { slug, variant, quantity: "1" }, `/store/${slug}/p/${product}`);
  if (added.status !== 303 || refusal(added.location)) return { outcome: "other", detail: `cart: ${added.status} ${added.location}` };
  return shopper;
}

async function checkOut(i, shopper) {
  const host = i % 2 === 0 ? base : other;
  const phone = `0803${String(1_000_000 + i).padStart(7, "0")}`;
  const placed = await post(host, shopper, "/rpc/place_order", {
    slug, name: `Shopper ${i}`, phone, email: "", fulfilment: "delivery", pickup_location: "",
    line: `${i} Allen Avenue`, city: "Ikeja", lga: "", state: "Lagos", payment: "test_gateway", note: "", submission: "",
  }, `/store/${slug}/checkout`);
  const refused = refusal(placed.location);
  if (placed.status === 303 && refused) return { outcome: "refused", detail: refused };
  const pay = placed.location.match(/\/store\/[^/]+\/pay\/([0-9a-f-]{36})/);
  if (placed.status !== 303 || !pay) return { outcome: "other", detail: `checkout: ${placed.status} ${placed.location}` };
  const answered = await post(host, shopper, "/rpc/answer_test_payment", { slug, key: pay[1], answer: "approve" }, `/store/${slug}/pay/${pay[1]}`);
  if (answered.status !== 303 || refusal(answered.location)) return { outcome: "other", detail: `payment: ${answered.status} ${answered.location}` };
  return { outcome: "paid" };
}

// Every cart filled first, then every checkout at once.
const carts = await Promise.all(Array.from({ length: shoppers }, (_, i) => shop(i)));
const started = performance.now();
const outcomes = await Promise.all(carts.map((cart, i) => (cart.outcome ? cart : checkOut(i, cart))));
const seconds = (performance.now() - started) / 1000;
const tally = (what) => outcomes.filter((o) => o.outcome === what);
const messages = {};
for (const o of tally("refused")) messages[o.detail] = (messages[o.detail] ?? 0) + 1;
console.log(JSON.stringify({
  paid: tally("paid").length,
  refused: tally("refused").length,
  refusals: messages,
  other: tally("other").map((o) => o.detail).slice(0, 5),
  others: tally("other").length,
  seconds: Number(seconds.toFixed(2)),
}));
