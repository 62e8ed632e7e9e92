// The hot-SKU run: BUYERS concurrent buyers, spread over the given server instances, each
// holding one unit at a time through POST /api/v1/inventory/reservations until the stock is
// gone. Prints JSON: holds granted, refusals, other answers, the seconds it took, the CPU
// seconds the servers, the database and the buyers used meanwhile, and how busy the machine was.
// Node's own HTTP client with kept-alive connections: `fetch` costs several times the CPU per
// request and, on two cores shared with the servers and the database, measured itself.
// Before the clock starts every buyer opens its connection and asks WARM times for more than
// there is (refused, nothing held), so that connections, the servers' and the database's
// prepared statements and this process's compiled code are ready, and the run measures the
// rush rather than start-up.
// WARM=0 starts the clock with cold connections.
// Where the CPU went during the timed part is read from /proc: SERVER_PIDS (the instances) and
// DATABASE_PID (the database's postmaster, with its children) name whom to watch.
// Usage: node bench/hot_sku.mjs <token> <variant-id> <buyers> <base-url> [<base-url>…]
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";

const [token, variant, buyers, ...bases] = process.argv.slice(2);
const WARM = Number(process.env.WARM ?? 20);
const body = JSON.stringify({ variant_id: variant, quantity: 1, hold_seconds: 900 });
const tooMany = JSON.stringify({ variant_id: variant, quantity: 1_000_000, hold_seconds: 900 });
const targets = bases.map((base) => ({ url: new URL(base), agent: new http.Agent({ keepAlive: true }) }));
const headers = (payload) => ({
  authorization: `Bearer ${token}`,
  "content-type": "application/json",
  "content-length": Buffer.byteLength(payload),
});

function hold(target, payload = body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.url.hostname,
        port: target.url.port,
        method: "POST",
        path: "/api/v1/inventory/reservations",
        agent: target.agent,
        headers: headers(payload),
      },
      (answer) => {
        answer.resume();
        answer.on("end", () => resolve(answer.statusCode));
      },
    );
    request.on("error", reject);
    request.end(payload);
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
async function warm(i) {
  const target = targets[i % targets.length];
  for (let n = 0; n < WARM; n++) {
    const status = await hold(target, tooMany);
    if (status !== 409) throw new Error(`warming up: expected a refusal, got ${status}`);
  }
}
await Promise.all(Array.from({ length: Number(buyers) }, (_, i) => warm(i)));
// Clock ticks used so far by these processes (utime + stime), and the machine's busy and idle ticks.
const TICKS_PER_SECOND = 100;
const stat = (pid) => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // gone meanwhile
  }
};
const ticksOf = (pids) =>
  pids.reduce((sum, pid) => {
    const fields = stat(pid);
    return sum + (fields ? Number(fields[11]) + Number(fields[12]) : 0);
  }, 0);
const withChildren = (parent) => [
  parent,
  ...readdirSync("/proc").filter((name) => /^\d+$/.test(name) && stat(name)?.[1] === String(parent)),
];
const servers = (process.env.SERVER_PIDS ?? "").split(/[ ,]+/).filter(Boolean);
const database = process.env.DATABASE_PID ? withChildren(process.env.DATABASE_PID) : [];
const machine = () => {
  const [, user, nice, system, idle, iowait, irq, softirq] = readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait };
};
const before = { servers: ticksOf(servers), database: ticksOf(database), machine: machine() };

const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all(Array.from({ length: Number(buyers) }, (_, i) => buyer(i)));
const seconds = (performance.now() - started) / 1000;
for (const target of targets) target.agent.destroy();
const { user, system } = process.cpuUsage(cpuBefore);
const after = machine();
const busy = after.busy - before.machine.busy;
console.log(JSON.stringify({
  granted, refused, other, seconds,
  cpu_seconds: {
    servers: (ticksOf(servers) - before.servers) / TICKS_PER_SECOND,
    database: (ticksOf(database) - before.database) / TICKS_PER_SECOND,
    buyers: (user + system) / 1e6,
  },
  machine_busy: busy / (busy + after.idle - before.machine.idle),
}));
