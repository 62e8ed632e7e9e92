-- wrk: count the answers that are not a 200 (each thread counts its own), and print that count,
-- the requests per second and the 99th, 95th and 50th percentile latency in milliseconds after
-- the run. The benchmarks refuse a figure when any answer was not a 200: a redirect to the
-- sign-in page is fast, and wrong.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = (not_ok or 0) + 1
  end
end

function done(summary, latency, requests)
  local wrong = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do
    wrong = wrong + (thread:get("not_ok") or 0)
  end
  io.write(string.format("answers_not_200 %d\n", wrong))
  io.write(string.format("rate %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
end
