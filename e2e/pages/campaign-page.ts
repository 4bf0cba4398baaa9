import type { Page } from "@playwright/test";

export type CounterName = "pending" | "scheduled" | "queued" | "dialing" | "completed" | "no-answer" | "busy" | "voicemail" | "failed" | "cancelled" | "suppressed";

export class CampaignPage {
  constructor(readonly page: Page) {}

  get status() {
    return this.page.getByTestId("campaign-status");
  }

  get progress() {
    return this.page.getByRole("progressbar", { name: "Campaign progress" });
  }

  get liveStatus() {
    return this.page.getByTestId("live-status");
  }

  get leadRows() {
    return this.page.getByTestId("lead-row");
  }

  get statusFilter() {
    return this.page.getByLabel("Filter leads by status");
  }

  get nextPage() {
    return this.page.getByRole("link", { name: "Next page" });
  }

  get exportLink() {
    return this.page.getByRole("link", { name: "Export results (CSV)" });
  }

  async goto(tenantId: string, campaignId: string) {
    return this.page.goto(`/t/${tenantId}/campaigns/${campaignId}`);
  }

  count(name: CounterName) {
    return this.page.getByTestId(`count-${name}`);
  }

  async countValue(name: CounterName) {
    return Number((await this.count(name).textContent())!.replaceAll(",", ""));
  }

  button(name: "Start" | "Pause" | "Resume" | "Cancel campaign") {
    return this.page.getByRole("button", { name, exact: true });
  }

  /** Duplicate, Archive, Unarchive: the housekeeping buttons next to the lifecycle ones. */
  housekeepingButton(name: "Duplicate" | "Archive" | "Unarchive") {
    return this.page.getByRole("button", { name, exact: true });
  }

  get archivedBadge() {
    return this.page.getByTestId("campaign-archived");
  }

  /** Fills the duplicate form and submits it; the page then opens the new campaign. */
  async duplicate(leads: "All leads" | "Only unfinished leads", name?: string) {
    await this.housekeepingButton("Duplicate").click();
    const form = this.page.getByRole("form", { name: "Duplicate this campaign" });
    await form.getByRole("radio", { name: leads }).check();
    if (name) await form.getByLabel("Name (optional)").fill(name);
    await form.getByRole("button", { name: "Duplicate campaign" }).click();
  }

  async cancel() {
    await this.button("Cancel campaign").click();
    const dialog = this.page.getByRole("alertdialog", { name: "Cancel this campaign?" });
    await dialog.getByRole("button", { name: "Yes, cancel campaign" }).click();
  }

  /** The results CSV, as text. */
  async downloadExport() {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.exportLink.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return { filename: download.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
  }
}
