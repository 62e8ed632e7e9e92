import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

// Stops the test database under a running server and starts it again. It runs alone, after
// every other browser test (see playwright.config.ts), since it takes the database away.
// It cannot be skipped: without the database's folder it fails, saying what it needs.
const pgDir = process.env.E2E_PG_DIR;
const pg = (command: "start" | "stop") => {
  if (!pgDir) {
    throw new Error("E2E_PG_DIR must name the folder of the test database (scripts/test.sh sets it)");
  }
  execFileSync(path.join(__dirname, "..", "..", "scripts", "pg.sh"), [command, pgDir], { stdio: "inherit" });
};

test("when the database goes away the server says so, and recovers when it returns", async ({ page, request }) => {
  expect((await request.get("/readyz")).status()).toBe(200);
  pg("stop");
  try {
    expect((await request.get("/readyz")).status()).toBe(503);
    expect((await request.get("/healthz")).status()).toBe(200);
    // A page that reads the database for each visitor (the store's home may be served from the
    // pages kept in memory until the server notices the database has gone).
    const response = await page.goto("/store/ojafresh/cart");
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { name: "We can't reach our records right now" })).toBeVisible();
  } finally {
    pg("start");
  }
  await expect.poll(async () => (await request.get("/readyz")).status(), { timeout: 20_000 }).toBe(200);
  const response = await page.goto("/store/ojafresh");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
});
