import type { Page } from "@playwright/test";

type FilePayload = string | { name: string; mimeType: string; buffer: Buffer };

export class NewCampaignPage {
  constructor(
    readonly page: Page,
    readonly tenantId: string,
  ) {}

  get name() {
    return this.page.getByLabel("Campaign name");
  }

  get country() {
    return this.page.getByLabel("Default country");
  }

  get file() {
    return this.page.getByLabel("CSV file");
  }

  get phoneColumn() {
    return this.page.getByLabel("Phone column");
  }

  get nameColumn() {
    return this.page.getByLabel("Name column (optional)");
  }

  get timezoneColumn() {
    return this.page.getByLabel("Time zone column (optional)");
  }

  get previewRows() {
    return this.page.getByTestId("preview-row");
  }

  get variableColumns() {
    return this.page.getByTestId("variable-column");
  }

  get importButton() {
    return this.page.getByRole("button", { name: "Import leads" });
  }

  get error() {
    return this.page.getByTestId("form-error");
  }

  get rejectedLink() {
    return this.page.getByRole("link", { name: "Download rejected rows" });
  }

  get openCampaignLink() {
    return this.page.getByRole("link", { name: "Open campaign" });
  }

  async goto() {
    await this.page.goto(`/t/${this.tenantId}/campaigns/new`);
  }

  async choose(file: FilePayload) {
    await this.file.setInputFiles(file);
  }

  /** Follows "Open campaign" and returns the new campaign's id. */
  async openCampaign() {
    await this.openCampaignLink.click();
    await this.page.waitForURL(/\/campaigns\/(?!new$)[^/]+$/);
    return new URL(this.page.url()).pathname.split("/").pop()!;
  }

  result(what: "imported" | "rejected" | "duplicates") {
    return this.page.getByTestId(`result-${what}`);
  }

  /** The rejected-rows download, as text. */
  async downloadRejected() {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.rejectedLink.click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { filename: download.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
  }
}
