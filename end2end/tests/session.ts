import { expect, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";

export const DEMO_PASSWORD = "naija-demo-2026";

/** An address of its own for each person the tests play: the server limits sign-in attempts per
 * address (60 in 5 minutes), and the whole suite signing in from one address would pass that,
 * as one office behind one router would not. The test server believes `X-Forwarded-For` from
 * this machine (`TRUSTED_PROXIES` in the Playwright configuration). */
function someAddress(): string {
  const part = () => 1 + Math.floor(Math.random() * 254);
  return `10.${part()}.${part()}.${part()}`;
}

/** Signs in through the sign-in page and waits for the person's start page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, start = "/admin/login") {
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": someAddress() });
  await page.goto(start);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await waitForHydration(page);
}
