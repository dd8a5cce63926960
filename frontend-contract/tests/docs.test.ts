// `/docs` in a real browser: Debian's Chromium, headless and with no network but the server's own
// address, loads Swagger UI from the live server, finds every operation of the served document,
// and executes one request from the page ("Try it out", then "Execute") and shows its answer.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { baseUrl } from "./support.js";

/** Debian's `chromium` (`.ci/run` installs it); CHROMIUM_PATH names another. */
const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

test("GET /docs works in headless Chromium with no network: every operation, and one executed", async () => {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(document.paths).flatMap((item) =>
    Object.keys(item).filter((method) => METHODS.includes(method)),
  ).length;
  assert.ok(operations > 10, `${operations} operations in the document`);

  const profile = await mkdtemp(join(tmpdir(), "reel-docs-chromium-"));
  // A fresh profile each run (Playwright passes it as `--user-data-dir`).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    // No network: anything but the server itself is refused, and counted.
    const origin = new URL(baseUrl).origin;
    const refused: string[] = [];
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin || url.startsWith("data:")) return route.continue();
      refused.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    const response = await page.goto(`${baseUrl}/docs`, { waitUntil: "load" });
    assert.equal(response?.status(), 200, "GET /docs (redirected to /docs/)");
    await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator(".opblock").count(), operations, "every operation is shown");

    // One request from the page: the liveness probe.
    const live = page.locator(".opblock.opblock-get", {
      has: page.locator('.opblock-summary-path[data-path="/health/live"]'),
    });
    await live.locator(".opblock-summary").first().click();
    await live.locator("button.try-out__btn").click();
    await live.locator("button.execute").click();
    const status = live.locator(".live-responses-table .response .response-col_status").first();
    await status.waitFor({ timeout: 30_000 });
    assert.equal((await status.innerText()).trim(), "200");
    const body = await live.locator(".live-responses-table .response-col_description pre").first().innerText();
    assert.match(body, /"status":\s*"ok"/);

    assert.deepEqual(refused, [], "the page asked for nothing outside the server");
    assert.deepEqual(errors, [], "no script error on the page");
  } finally {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
});
