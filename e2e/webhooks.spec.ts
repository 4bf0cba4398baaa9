import { verifySignature } from "../lib/webhooks/signing";
import { startReceiver } from "../lib/test/webhook-receiver";
import { expect, newAccount, signUp, test } from "./fixtures";
import { CampaignPage } from "./pages/campaign-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

test("an owner adds a webhook endpoint, runs a campaign, sees its signed deliveries (a 500 retried) in the log, and redelivers one", async ({ page }) => {
  // The customer's receiver: refuses the first delivery of campaign.started, accepts everything else.
  let refused = false;
  const rx = await startReceiver((req) => {
    if (req.event.type !== "campaign.started" || refused) return { status: 200, body: "ok" };
    refused = true;
    return { status: 500, body: "not ready yet" };
  });
  try {
    const tenant = await signUp(page, newAccount("Webhooks"));
    await page.goto(`/t/${tenant}/settings`);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${tenant}/settings/webhooks$`));

    const form = page.getByRole("form", { name: "Add an endpoint" });
    await form.getByLabel("Endpoint URL").fill(rx.url("/fairdial"));
    await form.getByLabel("Description (optional)").fill("CRM");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByTestId("endpoint-secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId("endpoint-row")).toHaveCount(1);
    await expect(page.getByTestId("endpoint-row")).toContainText("all events");
    await expect(page.getByTestId("endpoint-status")).toHaveText("Active");

    // A small campaign: each lead gets one call (no-answer and busy leads would retry in 30 minutes).
    const upload = new NewCampaignPage(page, tenant);
    await upload.goto();
    await upload.choose({ name: "hooks.csv", mimeType: "text/csv", buffer: Buffer.from("phone,name\n+1 312 200 7001,Ada\n+1 312 200 7002,Grace\n") });
    await upload.name.fill("Webhook campaign");
    await upload.importButton.click();
    await upload.openCampaign();
    const campaign = new CampaignPage(page);
    await campaign.button("Start").click();
    await expect(campaign.status).toHaveText(/Running|Completed/);

    // campaign.started (retried after its 500), then per lead call.started, call.answered if answered, and its end.
    const ended = () => new Set(rx.received.filter((r) => ["call.completed", "call.failed"].includes(r.event.type)).map((r) => r.event.data.leadId)).size;
    await expect.poll(ended, { timeout: 60_000 }).toBe(2);
    await expect.poll(() => rx.received.filter((r) => r.event.type === "campaign.started").length, { timeout: 30_000 }).toBe(2);
    expect(rx.received.filter((r) => r.event.type === "call.started")).toHaveLength(2);
    for (const r of rx.received) expect(verifySignature(secret, r.body, r.headers["fairdial-signature"] as string).ok).toBe(true);

    await page.goto(`/t/${tenant}/settings/webhooks`);
    await page.getByRole("link", { name: rx.url("/fairdial") }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${tenant}/settings/webhooks/[^/]+$`));
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
    const rows = page.getByTestId("delivery-row");
    // The first attempt's 500 (with the receiver's answer) and its retry's 200 are both in the log.
    await expect.poll(async () => { await page.reload(); return rows.count(); }, { timeout: 30_000 }).toBe(rx.received.length);
    await expect(rows.filter({ hasText: "not ready yet" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "campaign.started" })).toHaveCount(2);
    await expect(page.getByTestId("deliveries-pending")).toHaveText("0");

    // Redeliver the newest one: the receiver gets the same event id once more.
    const before = rx.received.length;
    const newest = rows.first();
    const eventId = (await newest.locator("div.font-mono").textContent())!;
    await newest.getByRole("button", { name: "Redeliver" }).click();
    // The clicked row says so wherever it is now: the redelivery's own row may already be on top of the log.
    await expect(rows.getByRole("status")).toHaveText("Queued");
    await expect.poll(() => rx.received.length, { timeout: 30_000 }).toBe(before + 1);
    expect(rx.received.at(-1)!.event.id).toBe(eventId);
    await expect.poll(async () => { await page.reload(); return rows.count(); }, { timeout: 30_000 }).toBe(before + 1);

    // Narrow the endpoint to one event type; the list says so.
    const edit = page.getByRole("form", { name: "Edit the endpoint" });
    await edit.getByLabel("All events, including types added later").uncheck();
    await edit.getByRole("checkbox", { name: /^call\.completed/ }).check();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText("Saved.")).toBeVisible();
    await page.goto(`/t/${tenant}/settings/webhooks`);
    await expect(page.getByTestId("endpoint-row")).toContainText("CRM · call.completed");
  } finally {
    await rx.close();
  }
});
