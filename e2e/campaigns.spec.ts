import path from "node:path";
import { expect, newAccount, signUp, test } from "./fixtures";
import { CampaignPage } from "./pages/campaign-page";
import { DashboardPage } from "./pages/dashboard-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

const FILES = path.join(import.meta.dirname, "files");
const FIXTURES = path.join(import.meta.dirname, "../lib/imports/fixtures");

test("a CSV with bad rows is previewed, imported and run, with live progress and downloads", async ({ page, context }) => {
  const tenant = await signUp(page, newAccount("Importer"));
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose(path.join(FILES, "leads-with-errors.csv"));

  // Preview: the first rows, the guessed columns, and what becomes a variable.
  await expect(upload.previewRows).toHaveCount(5);
  await expect(upload.previewRows.first()).toContainText("Ada Lovelace");
  await expect(upload.phoneColumn).toHaveValue("Mobile Number");
  await expect(upload.nameColumn).toHaveValue("Full Name");
  await expect(upload.timezoneColumn).toHaveValue("");
  await expect(upload.variableColumns).toHaveText(["city becomes a variable", "plan becomes a variable"]);
  await expect(upload.country).toHaveValue("US");
  await expect(upload.name).toHaveValue("leads-with-errors");
  await upload.name.fill("Spring renewals");
  await upload.importButton.click();

  await expect(upload.result("imported")).toHaveText("34");
  await expect(upload.result("rejected")).toHaveText("3");
  await expect(upload.result("duplicates")).toHaveText("2");
  const rejected = await upload.downloadRejected();
  expect(rejected.filename).toBe("spring-renewals-rejected-rows.csv");
  const lines = rejected.text.trim().split("\r\n");
  expect(lines).toEqual([
    "line,reason,raw",
    "5,too short,\"12345,Too Short,Boston,gold\"",
    "8,not a phone number,\"not a phone,Letters Only,Denver,silver\"",
    "10,\"has 5 fields, the header has 4\",\"'+13055550105,Margaret Hamilton,Miami,silver,extra\"",
  ]);

  const campaignId = await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await expect(page.getByRole("heading", { name: "Spring renewals" })).toBeVisible();
  await expect(campaign.status).toHaveText("Draft");
  await expect(campaign.count("pending")).toHaveText("34");
  await expect(campaign.liveStatus).toHaveText("Live");
  await expect(campaign.leadRows).toHaveCount(25);
  await campaign.nextPage.click();
  await expect(campaign.leadRows).toHaveCount(9);

  // A second tab only follows the Server-Sent Events: it is never reloaded.
  const watcher = new CampaignPage(await context.newPage());
  await watcher.goto(tenant, campaignId);
  await expect(watcher.liveStatus).toHaveText("Live");
  await expect(watcher.status).toHaveText("Draft");

  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Running");
  await expect(campaign.button("Start")).toHaveCount(0);
  await expect(campaign.button("Pause")).toBeVisible();
  await expect(campaign.button("Cancel campaign")).toBeVisible();

  // The worker (fast simulated provider) dials; the watcher sees leads finish without a reload.
  await expect(watcher.status).toHaveText("Running");
  await expect.poll(() => watcher.countValue("completed")).toBeGreaterThan(0);
  await expect.poll(async () => Number(await watcher.progress.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
  await expect(watcher.count("pending")).not.toHaveText("34");

  // No-answer and busy leads wait 30 minutes for a retry, so the campaign is still running: pause it.
  await campaign.button("Pause").click();
  await expect(campaign.status).toHaveText("Paused");
  await expect(campaign.button("Resume")).toBeVisible();
  await expect(campaign.button("Pause")).toHaveCount(0);
  await expect(watcher.status).toHaveText("Paused");

  // The lead table, filtered to one status, after the refresh the action triggered.
  await campaign.statusFilter.selectOption({ label: "Completed" });
  await expect(page).toHaveURL(/status=COMPLETED/);
  await expect(campaign.leadRows.first()).toContainText("Completed");
  for (const row of await campaign.leadRows.all()) await expect(row).toContainText("Completed");

  // A completed lead opens its call timeline: one answered attempt with its provider call id.
  const leadUrl = page.url();
  await campaign.leadRows.first().getByTestId("lead-link").click();
  await expect(page.getByTestId("attempt-row")).toHaveCount(1);
  await expect(page.getByTestId("attempt-outcome").first()).toContainText("Answered");
  await expect(page.getByTestId("attempt-row").first()).toContainText("sim-");
  await page.goto(leadUrl);

  const results = await campaign.downloadExport();
  expect(results.filename).toBe("spring-renewals-results.csv");
  const exported = results.text.trim().split("\r\n");
  expect(exported[0]).toBe("line,phone,name,timezone,status,attempts,last_outcome,last_duration_sec,next_attempt_at,timezones,zone_source,suppressed_reason,first_dialed_at,last_dialed_at,answered_at,ended_at,total_attempts,last_provider_call_id,city,plan");
  expect(exported).toHaveLength(35);
  expect(exported[1]).toMatch(/^2,\+12125550100,Ada Lovelace,,\w+,\d,/);

  const dashboard = new DashboardPage(page, tenant);
  await dashboard.goto();
  await expect(dashboard.campaign("Spring renewals")).toContainText("Paused");
  await expect(dashboard.linesInUse).toHaveText(/lines? in use/);
  // A new tenant starts with the platform's default cap (TENANT_DEFAULT_MAX_CONCURRENT), not unlimited lines.
  await expect(dashboard.linesInUse).toHaveText(/of 10 lines in use/);
  await expect(dashboard.dispatchStatus).toContainText("no campaign is running");
  await expect.poll(async () => Number(await dashboard.callsToday.textContent())).toBeGreaterThan(0);

  // Resuming is seen live on the dashboard; cancelling asks first.
  await watcher.button("Resume").click();
  await expect(watcher.status).toHaveText("Running");
  await expect(dashboard.campaign("Spring renewals")).toContainText("Running");
  await watcher.cancel();
  await expect(watcher.status).toHaveText("Cancelled");
  await expect(watcher.button("Resume")).toHaveCount(0);
  await expect(watcher.button("Pause")).toHaveCount(0);
  await expect(dashboard.campaign("Spring renewals")).toContainText("Cancelled");
});

test("a file that cannot be imported is explained, and nothing is created", async ({ page }) => {
  const tenant = await signUp(page, newAccount("Broken"));
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();

  await upload.choose({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("") });
  await expect(upload.error).toContainText("the file is empty");
  await expect(upload.importButton).toBeDisabled();

  // The first 64 KB preview fine; an unclosed quote near the end fails the import as a whole.
  const rows = Array.from({ length: 3000 }, (_, i) => `+1312555${String(i).padStart(4, "0")},Lead ${i}`);
  const csv = `phone,name\n${rows.join("\n")}\n+13125559999,"never closed\n+13125559998,Last\n`;
  await upload.choose({ name: "broken-at-the-end.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(upload.previewRows).toHaveCount(5);
  await expect(upload.error).toHaveCount(0);
  await upload.importButton.click();
  await expect(upload.error).toContainText("opens a quote that is never closed");
  await expect(upload.error).toContainText("Nothing was imported");

  const dashboard = new DashboardPage(page, tenant);
  await dashboard.goto();
  await expect(page.getByText("No campaigns yet")).toBeVisible();
  await expect(dashboard.campaignRows).toHaveCount(0);
});

test("the event stream sends snapshots, and another tenant gets 404 for the campaign, its events and downloads", async ({ page, browser, request }) => {
  const tenant = await signUp(page, newAccount("Owner"));
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose(path.join(FIXTURES, "basic.csv"));
  await expect(upload.phoneColumn).toHaveValue("phone");
  await upload.importButton.click();
  const campaignId = await upload.openCampaign();

  const stream = await page.evaluate(async (url) => {
    const res = await fetch(url);
    const reader = res.body!.getReader();
    let text = "";
    while (!/event: progress\ndata: .*\n\n/.test(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    return { status: res.status, type: res.headers.get("content-type"), text };
  }, `/api/campaigns/${campaignId}/events`);
  expect(stream.status).toBe(200);
  expect(stream.type).toContain("text/event-stream");
  expect(stream.text).toMatch(/^retry: \d+\n\n/);
  const snapshot = JSON.parse(/id: \d+\nevent: progress\ndata: (.*)\n\n/.exec(stream.text)![1]!);
  // basic.csv's London number is refused: a new tenant may call the platform's default countries (US, CA) only.
  expect(snapshot).toMatchObject({ campaignId, status: "DRAFT", total: 4, terminal: 0 });
  expect(snapshot.callsPerMinute).toHaveLength(15);

  expect((await request.get(`/api/campaigns/${campaignId}/events`)).status()).toBe(401); // no session

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, newAccount("Outsider"));
  expect((await otherPage.goto(`/t/${tenant}/campaigns/${campaignId}`))?.status()).toBe(404);
  for (const suffix of ["events", "rejected", "export"]) {
    const res = await otherPage.request.get(`/api/campaigns/${campaignId}/${suffix}`);
    expect(res.status(), suffix).toBe(404);
  }
  await other.close();
});
