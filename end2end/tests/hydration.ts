import { expect, type Page } from "@playwright/test";

/** Waits until the browser has taken over the server-rendered page (the app sets this marker). */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}
