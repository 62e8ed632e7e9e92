-- wrk: print the 95th percentile latency in milliseconds after the run.
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
end
