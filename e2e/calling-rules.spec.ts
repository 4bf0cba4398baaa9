import type { Page } from "@playwright/test";
import { expect, newAccount, signUp, test } from "./fixtures";
import { CallingRulesPage } from "./pages/calling-rules-page";
import { CampaignPage } from "./pages/campaign-page";
import { DashboardPage } from "./pages/dashboard-page";
import { DoNotCallPage } from "./pages/do-not-call-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

// Each tenant has its own list, so every run may use the same numbers.
const NUMBERS = ["+1 312 200 5000", "+1 312 200 5001", "+1 312 200 5002"];

test("leads on the do-not-call list are never dialed: the campaign counts them and completes without a call", async ({ page, context }) => {
  const tenant = await signUp(page, newAccount("Donotcall"));
  await page.goto(`/t/${tenant}/settings`);
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Do-not-call list" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant}/settings/do-not-call$`));

  const dnc = new DoNotCallPage(page, tenant);
  await dnc.upload("do-not-call.csv", `phone,reason\n${NUMBERS.map((n) => `${n},asked not to be called`).join("\n")}\n`);
  await expect(dnc.uploadStat("added")).toHaveText("3");
  await expect(dnc.uploadStat("already-listed")).toHaveText("0");
  await expect(dnc.uploadStat("rejected")).toHaveText("0");
  await expect(dnc.uploadStat("leads-suppressed")).toHaveText("0");
  await expect(dnc.listTitle).toHaveText("Your list (3 numbers)");
  await expect(dnc.rows).toHaveCount(3);
  await expect(dnc.rows.first()).toContainText("CSV upload");

  // A campaign of exactly those numbers: every lead is suppressed at import, none is pending.
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose({ name: "listed-leads.csv", mimeType: "text/csv", buffer: Buffer.from(`phone,name\n${NUMBERS.map((n, i) => `${n},Lead ${i + 1}`).join("\n")}\n`) });
  await expect(upload.phoneColumn).toHaveValue("phone");
  await upload.name.fill("Only listed numbers");
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText("3");
  const campaignId = await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await expect(campaign.status).toHaveText("Draft");
  await expect(campaign.count("suppressed")).toHaveText("3");
  await expect(campaign.count("pending")).toHaveText("0");

  // The dashboard in a second tab follows the start live; every sentence it shows meanwhile is recorded.
  const dashboard = new DashboardPage(await context.newPage(), tenant);
  await dashboard.goto();
  await expect(dashboard.campaign("Only listed numbers")).toContainText("Draft");
  await expect(dashboard.dispatchStatus).toContainText("Nothing is dialing: no campaign is running.");
  await recordSentences(dashboard.page);

  await campaign.button("Start").click();
  // Nothing is dialable, so the scheduler completes the campaign on its next housekeeping pass (about a second).
  await expect(campaign.status).toHaveText("Completed");
  await expect(campaign.count("suppressed")).toHaveText("3");
  for (const name of ["pending", "scheduled", "queued", "dialing", "completed", "no-answer", "busy", "voicemail", "failed", "cancelled"] as const) {
    await expect(campaign.count(name), name).toHaveText("0");
  }
  await expect(campaign.button("Pause")).toHaveCount(0);

  await expect(dashboard.campaign("Only listed numbers")).toContainText("Completed");
  await expect(dashboard.callsToday).toHaveText("0");
  await expect(dashboard.linesInUse).toHaveText(/^0 of \d+ lines in use$/);
  await expect(dashboard.dispatchStatus).toContainText("Nothing is dialing: no campaign is running.");
  // While the campaign ran (if the dashboard caught that second) it said why nothing was dialing; it never
  // claimed that calls were going out or about to.
  const seen = await dashboard.page.evaluate(() => (window as unknown as { __sentences: string[] }).__sentences);
  expect(seen.length).toBeGreaterThan(0);
  for (const sentence of seen) {
    expect(["Nothing is dialing: no campaign is running.", "Nothing is dialing: all remaining leads are on a do-not-call list."]).toContain(sentence);
  }
  test.info().annotations.push({ type: "dashboard sentences", description: seen.join(" → ") });

  // The campaign page after a reload agrees: no attempt was ever made.
  await campaign.goto(tenant, campaignId);
  await expect(campaign.status).toHaveText("Completed");
  await expect(campaign.count("suppressed")).toHaveText("3");
  await expect(campaign.count("completed")).toHaveText("0");
});

test("an owner adds a number by hand and takes it off the list again", async ({ page }) => {
  const tenant = await signUp(page, newAccount("Listkeeper"));
  const dnc = new DoNotCallPage(page, tenant);
  await dnc.goto();
  await expect(dnc.emptyMessage).toBeVisible();
  await expect(dnc.listTitle).toHaveText("Your list (0 numbers)");

  await dnc.add("(312) 200-5003", "asked by email");
  await expect(dnc.success).toHaveText("Added to the list.");
  await expect(dnc.rows).toHaveCount(1);
  await expect(dnc.rows.first()).toContainText("+13122005003");
  await expect(dnc.rows.first()).toContainText("asked by email");
  await expect(dnc.rows.first()).toContainText("Added by hand");
  await expect(dnc.listTitle).toHaveText("Your list (1 number)");

  await dnc.remove("+13122005003");
  await expect(dnc.rows).toHaveCount(0);
  await expect(dnc.emptyMessage).toBeVisible();
  await expect(dnc.listTitle).toHaveText("Your list (0 numbers)");
  await page.reload();
  await expect(dnc.rows).toHaveCount(0);
});

test("an owner sets the frequency caps from a preset and by hand, and they stay set", async ({ page }) => {
  const tenant = await signUp(page, newAccount("Capper"));
  await page.goto(`/t/${tenant}/settings`);
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Calling rules" }).click();
  const rules = new CallingRulesPage(page, tenant);
  await expect(rules.summary).toHaveText("Now: no limit on how often one number is called.");
  await expect(rules.presets).toHaveCount(3);
  await expect(rules.presets.filter({ hasText: "Florida" })).toContainText("Sets: at most 3 calls to one number in 24 hours. Source: Fla. Stat. 501.059(8)");
  await expect(rules.presets.filter({ hasText: "France" })).toContainText("Sets: at most 4 calls to one number in 30 days. Source: Décret n° 2022-1313");
  await expect(rules.presets.filter({ hasText: "federal" })).toContainText("Sets: no limit on how often one number is called. Source: 47 CFR 64.1200(c)(1)");
  await expect(rules.callingHours).toBeVisible();

  await rules.applyPreset(/Florida/);
  await expect(rules.success).toContainText("at most 3 calls to one number in 24 hours");
  await expect(rules.per24h).toHaveValue("3");
  await expect(rules.per30d).toHaveValue("");
  await expect(rules.summary).toHaveText("Now: at most 3 calls to one number in 24 hours.");

  await rules.per30d.fill("10");
  await rules.save();
  await expect(rules.success).toHaveText("Saved: at most 3 calls to one number in 24 hours and 10 in 30 days.");
  await page.reload();
  await expect(rules.per24h).toHaveValue("3");
  await expect(rules.per30d).toHaveValue("10");
  await expect(rules.summary).toHaveText("Now: at most 3 calls to one number in 24 hours and 10 in 30 days.");

  await rules.applyPreset(/federal/);
  await expect(rules.summary).toHaveText("Now: no limit on how often one number is called.");
  await expect(rules.per24h).toHaveValue("");
});

/** Keeps every distinct sentence the dashboard's dispatch status shows from now on, in order, in window.__sentences. */
async function recordSentences(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __sentences: string[] }).__sentences = seen;
    const read = () => {
      const title = document.querySelector('[data-testid="dispatch-status"] p')?.textContent ?? "";
      if (title && seen[seen.length - 1] !== title) seen.push(title);
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test("a campaign scheduled to start tomorrow says why it is not dialing, and counts its do-not-call leads", async ({ page, context }) => {
  const tenant = await signUp(page, newAccount("Tomorrow"));
  const dnc = new DoNotCallPage(page, tenant);
  await dnc.goto();
  await dnc.upload("do-not-call.csv", `phone\n${NUMBERS[0]}\n`);
  await expect(dnc.uploadStat("added")).toHaveText("1");

  // Two leads, one of them listed; the calling schedule starts tomorrow at 09:00 in the campaign's zone.
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose({ name: "tomorrow.csv", mimeType: "text/csv", buffer: Buffer.from(`phone,name\n${NUMBERS[0]},Listed\n+1 312 200 5099,Not listed\n`) });
  await upload.name.fill("Starts tomorrow");
  await page.getByLabel("Campaign time zone").selectOption("America/Chicago");
  const tomorrow = new Date(Date.now() + 36 * 3_600_000).toISOString().slice(0, 10);
  await page.getByLabel("Scheduled start (optional)").fill(`${tomorrow}T09:00`);
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText("2");
  await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await expect(campaign.count("suppressed")).toHaveText("1");
  await expect(campaign.count("pending")).toHaveText("1");
  await expect(page.getByTestId("campaign-schedule")).toContainText("09:00");

  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Running");
  await expect(page.getByTestId("why-not-dialing")).toContainText("Scheduled to start at");
  // The dashboard's one sentence: nothing dials before the scheduled start, and the lead waits for it.
  const dashboard = new DashboardPage(await context.newPage(), tenant);
  await dashboard.goto();
  await expect(dashboard.dispatchStatus).toContainText("Nothing is dialing: every remaining lead is outside its calling hours until 09:00 America/Chicago.");
  await expect(dashboard.callsToday).toHaveText("0");
  await expect(campaign.count("completed")).toHaveText("0");
});
