import { expect, type Page } from "@playwright/test";

/** Waits until the browser has taken over the server-rendered page (the app sets this marker). */
export async function waitForHydration(page: Page) {
  // Debug builds ship an 18 MB wasm: on a busy two-core machine it can take a while to start.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}
