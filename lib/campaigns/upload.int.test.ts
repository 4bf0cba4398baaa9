import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { importCampaign } from "../imports/import";
import { createTenant } from "../test/factories";
import { readMultipartUpload } from "./upload";

const created: string[] = [];
afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
  await db.$disconnect();
});

const BOUNDARY = "----fairdialUploadTest";
const fixture = readFileSync(path.join(import.meta.dirname, "../imports/fixtures/invalid-and-duplicates.csv"));

function body(file: Buffer, cut = 0): ReadableStream<Uint8Array> {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nUpload test\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  const all = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
  const bytes = all.subarray(0, all.length - cut);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(new Uint8Array(bytes.subarray(at, (at += 37))));
    },
  });
}

describe("a multipart upload streamed into importCampaign", () => {
  it("imports the file part as it arrives", async () => {
    const tenant = await createTenant();
    created.push(tenant.id);
    const upload = await readMultipartUpload(body(fixture), `multipart/form-data; boundary=${BOUNDARY}`);
    const result = await importCampaign({ tenantId: tenant.id, options: { name: upload.fields.name!, defaultCountry: "US" }, source: upload.file });
    // Valid One, Valid Two and Bad Zone (whose zone comes from its number); two later copies of Valid One's number;
    // every other row rejected with a reason.
    expect(result).toMatchObject({ imported: 3, duplicates: 2, rejected: 6, ignoredTimeZones: 1 });
    expect(await db.lead.count({ where: { campaignId: result.campaignId } })).toBe(3);
  });

  it("creates nothing when the upload stops before the end of the file", async () => {
    const tenant = await createTenant();
    created.push(tenant.id);
    const upload = await readMultipartUpload(body(fixture, 40), `multipart/form-data; boundary=${BOUNDARY}`);
    await expect(importCampaign({ tenantId: tenant.id, options: { name: "Cut off", defaultCountry: "US" }, source: upload.file })).rejects.toMatchObject({ code: "upload_incomplete" });
    expect(await db.campaign.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});
