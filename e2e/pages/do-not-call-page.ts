import { expect, type Page } from "@playwright/test";

export type UploadStat = "added" | "already-listed" | "rejected" | "leads-suppressed";

export class DoNotCallPage {
  constructor(
    readonly page: Page,
    readonly tenantId: string,
  ) {}

  get rows() {
    return this.page.getByTestId("dnc-row");
  }

  /** The list's card title, "Your list (N numbers)". */
  get listTitle() {
    return this.page.getByRole("heading", { name: /^Your list/ });
  }

  get emptyMessage() {
    return this.page.getByText("The list is empty.");
  }

  get success() {
    return this.page.getByTestId("form-success");
  }

  async goto() {
    await this.page.goto(`/t/${this.tenantId}/settings/do-not-call`);
  }

  /** Uploads a CSV (as text) and waits until the upload has answered. */
  async upload(name: string, csv: string) {
    const form = this.page.getByRole("form", { name: "Upload a CSV of numbers" });
    const submit = form.getByRole("button", { name: "Upload" });
    // Enabled once the page has hydrated: a file chosen before that can be lost (seen in CI: "Choose a CSV file").
    await expect(submit).toBeEnabled();
    await this.page.getByTestId("dnc-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await submit.click();
  }

  uploadStat(name: UploadStat) {
    return this.page.getByTestId(`dnc-${name}`);
  }

  async add(phone: string, reason?: string) {
    const form = this.page.getByRole("form", { name: "Add a number" });
    await form.getByLabel("Phone number").fill(phone);
    if (reason) await form.getByLabel("Reason (optional)").fill(reason);
    await form.getByRole("button", { name: "Add", exact: true }).click();
  }

  /** Removes a number, accepting the confirmation the page asks for. */
  async remove(phone: string) {
    this.page.once("dialog", (dialog) => void dialog.accept());
    await this.rows.filter({ hasText: phone }).getByRole("button", { name: "Remove" }).click();
  }
}
