// Limits of the live views as a user meets them: a cap on open event streams per user (the refused page says
// why, does not hammer the server, and resumes once a stream closes), and a periodic re-check that ends the
// stream of a viewer who is no longer a member.
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import pg from "pg";
import { expect, newAccount, signUp, test } from "./fixtures";
import { CampaignPage } from "./pages/campaign-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

const FIXTURES = path.join(import.meta.dirname, "../lib/imports/fixtures");
const MAX_STREAMS = 10; // SSE_MAX_STREAMS_PER_USER's default

async function importCampaign(page: Page, tenant: string) {
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose(path.join(FIXTURES, "basic.csv"));
  await expect(upload.phoneColumn).toHaveValue("phone");
  await upload.importButton.click();
  return upload.openCampaign();
}

/** Event streams opened outside the browser with the user's session, e.g. other devices or a script. */
async function openStreams(context: BrowserContext, url: string, n: number) {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const abort = new AbortController();
  const responses = await Promise.all(Array.from({ length: n }, () => fetch(url, { headers: { cookie }, signal: abort.signal })));
  return { responses, cookie, close: () => abort.abort() };
}

test("a user's live views beyond the cap are refused with a message, back off, and resume when one closes", async ({ page, context }) => {
  test.setTimeout(120_000);
  const tenant = await signUp(page, newAccount("Watcher"));
  const campaignId = await importCampaign(page, tenant);
  const events = new URL(`/api/campaigns/${campaignId}/events`, page.url()).href;
  await page.goto(`/t/${tenant}/campaigns/new`); // a page without a live view: the campaign page's stream closes

  const held = await openStreamsWhenFree(context, events);

  const refused = await fetch(events, { headers: { cookie: held.cookie } });
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(`at most ${MAX_STREAMS} per user`);

  const streamRequests: string[] = [];
  page.on("request", (req) => {
    if (req.url().endsWith("/events")) streamRequests.push(req.url());
  });
  const campaign = new CampaignPage(page);
  await page.goto(`/t/${tenant}/campaigns/${campaignId}`);
  await expect(campaign.liveStatus).toContainText("too many live views open");
  await page.waitForTimeout(6_000);
  // The EventSource and one fetch to learn why; nothing more while the server's Retry-After runs.
  expect(streamRequests.length).toBeLessThanOrEqual(3);

  held.close();
  await expect(campaign.liveStatus).toHaveText("Live", { timeout: 40_000 });
});

test("an open live view ends, saying so, once its viewer is no longer a member", async ({ page }) => {
  test.setTimeout(120_000);
  const account = newAccount("Removed");
  const tenant = await signUp(page, account);
  const campaignId = await importCampaign(page, tenant);
  const campaign = new CampaignPage(page);
  await page.goto(`/t/${tenant}/campaigns/${campaignId}`);
  await expect(campaign.liveStatus).toHaveText("Live");

  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DELETE FROM "User" WHERE email = $1`, [account.email]);
  } finally {
    await client.end();
  }
  // Re-checked every 15 s, sharing a check up to 15 s old: noticed within 30 s.
  await expect(campaign.liveStatus).toHaveText("Live updates stopped: sign in again", { timeout: 45_000 });
});

/** Opens the user's full allowance of streams, waiting for streams of pages left behind to be released. */
async function openStreamsWhenFree(context: BrowserContext, url: string) {
  for (let i = 0; ; i++) {
    const attempt = await openStreams(context, url, MAX_STREAMS);
    if (attempt.responses.every((r) => r.status === 200)) return attempt;
    attempt.close();
    if (i >= 20) throw new Error("the user's streams were never released");
    await new Promise((r) => setTimeout(r, 500));
  }
}
