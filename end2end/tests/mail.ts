import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";

/** The newest letter to `to` in the server's letter folder (MAIL_DIR), waiting for it to arrive. */
export async function letterTo(to: string): Promise<string> {
  const dir = process.env.MAIL_DIR;
  if (!dir) throw new Error("MAIL_DIR is not set: the server writes no letters for the tests to read");
  let found = "";
  await expect
    .poll(() => {
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith(".txt") && !n.startsWith(".")).sort();
      } catch {
        return "";
      }
      const letters = names.map((n) => readFileSync(join(dir, n), "utf8")).filter((t) => t.startsWith(`To: ${to}\n`));
      found = letters.at(-1) ?? "";
      return found;
    })
    .not.toBe("");
  return found;
}

/** The first address in a letter that points at `path` on this site. */
export function linkIn(letter: string, path: string): string {
  const match = letter.match(new RegExp(`https?://[^\\s]*${path.replace(/\//g, "\\/")}[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${path} link in the letter:\n${letter}`);
  return match[0];
}
