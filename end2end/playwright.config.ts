import { defineConfig, devices } from "@playwright/test";

// The server is started by Playwright against the database in DATABASE_URL (see scripts/test.sh).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  // A test that fails once fails the run: a flaky test is a bug to fix, not to retry. A
  // `test.only` left behind fails it too, rather than quietly skipping the rest.
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser downloads are never used.
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "surfaces", testIgnore: /recovery\.spec\.ts/ },
    // Takes the database away, so it runs alone once the others are done.
    { name: "recovery", testMatch: /recovery\.spec\.ts/, dependencies: ["surfaces"] },
  ],
  webServer: {
    command: `target/debug/server serve --bind 127.0.0.1:${port}`,
    // Warnings and errors only: the access log of every request would drown the test report.
    // Each person the tests play signs in from an address of their own (see `signIn`).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", TRUSTED_PROXIES: "127.0.0.1" },
    cwd: "..",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
