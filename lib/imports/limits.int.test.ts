// The limits on the import path, end to end against the real Postgres: file shape (columns, variables),
// files from spreadsheet apps, destinations, concurrent imports per tenant, and the deadline for slow uploads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { POST as createRoute } from "../../app/api/v1/campaigns/route";
import { createApiKey } from "../api-keys/mutations";
import { exportLeadsCsv } from "../campaigns/data";
import { finishUpload, readMultipartUpload } from "../campaigns/upload";
import { db } from "../db";
import { pgPool } from "../pg";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";
import { columnBombCsv } from "./fixtures/generate";
import { importCampaign } from "./import";
import { rejectedRowsCsv } from "./rejected-csv";
import { ImportError } from "./schema";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const options = { name: "Limits", defaultCountry: "US" };

describe("the shape of the file", () => {
  it("refuses a header of 1,000,000 columns with the named limit after reading its start, and creates nothing", async () => {
    const tenant = await newTenant();
    const bomb = columnBombCsv(1_000_000, 3);
    const err = await importCampaign({ tenantId: tenant.id, options, source: bomb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "too_many_columns", message: expect.stringContaining("more than 200 columns") });
    expect(bomb.pulled.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("answers the column bomb uploaded to POST /api/v1/campaigns with 422 naming the limit, and creates nothing", async () => {
    const { key, tenantId } = await newApiTenant();
    const bomb = columnBombCsv(1_000_000, 3);
    const body = multipart({ name: "Bomb" }, bomb);
    const res = await createRoute(apiRequest(key, body), ctx());
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: "too_many_columns", message: expect.stringContaining("200 columns") });
    expect(await stateOf(tenantId)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("rejects a row over the variables cap as a downloadable rejected row, imports the rest, stores no empty cells", async () => {
    const tenant = await newTenant();
    const csv = `phone,name,note,spare\n+12125550100,Big,${"n".repeat(9000)},\n+12125550101,Small,fine,\n`;
    const result = await importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from(csv)]) });
    expect(result).toMatchObject({ imported: 1, rejected: 1, duplicates: 0 });
    const leads = await db.lead.findMany({ where: { campaignId: result.campaignId }, select: { name: true, variables: true } });
    expect(leads).toEqual([{ name: "Small", variables: { note: "fine" } }]);
    const reason = "its other columns (the lead's variables) take 9011 bytes as JSON, more than the 8 KB allowed per lead";
    expect(await db.rejectedRow.findMany({ where: { campaignId: result.campaignId }, select: { line: true, reason: true } })).toEqual([{ line: 2, reason }]);
    const download = (await text((await rejectedRowsCsv(tenant.id, result.campaignId))!)).split("\r\n");
    expect(download[1]).toBe(`2,"${reason}","'+12125550100,Big,${"n".repeat(9000)},"`);
  });

  it("still exports a column whose cell was empty in the first row (empty cells are not stored)", async () => {
    const tenant = await newTenant();
    const csv = "phone,plan,city\n+12125550100,,Boston\n+12125550101,gold,\n";
    const { campaignId } = await importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from(csv)]) });
    let out = "";
    for await (const chunk of exportLeadsCsv(tenant.id, campaignId)) out += chunk;
    const [header, first, second] = out.split("\r\n");
    expect(header!.split(",").slice(-2)).toEqual(["city", "plan"]);
    expect(first!.split(",").slice(-2)).toEqual(["Boston", ""]);
    expect(second!.split(",").slice(-2)).toEqual(["", "gold"]);
  });
});

describe("files saved by spreadsheet apps", () => {
  it.each(["utf16le-bom.txt", "utf16be-bom.txt"])("imports Excel's Unicode text (%s) with the right names and phones", async (name) => {
    const tenant = await newTenant();
    const source = Readable.from([readFileSync(path.join(FIXTURES, name))]);
    const result = await importCampaign({ tenantId: tenant.id, options, source });
    expect(result).toMatchObject({ imported: 3, rejected: 1 });
    const leads = await db.lead.findMany({ where: { campaignId: result.campaignId }, orderBy: { line: "asc" }, select: { phone: true, name: true, variables: true } });
    expect(leads).toEqual([
      { phone: "+12125550160", name: "Zoë Ünal", variables: { City: "New York", Notes: '5" display' } },
      { phone: "+14155550161", name: "José Núñez", variables: { City: "San Francisco" } },
      { phone: "+12125550162", name: "李小龍 😀", variables: { City: "Chicago", Notes: 'says "hi", twice' } },
    ]);
  });

  it("imports a file with a stray quote in an unquoted field instead of refusing it", async () => {
    const tenant = await newTenant();
    const source = Readable.from([readFileSync(path.join(FIXTURES, "stray-quote.csv"))]);
    const result = await importCampaign({ tenantId: tenant.id, options, source });
    expect(result).toMatchObject({ imported: 2, rejected: 0 });
    const leads = await db.lead.findMany({ where: { campaignId: result.campaignId }, orderBy: { line: "asc" }, select: { variables: true } });
    expect(leads.map((l) => l.variables)).toEqual([{ height: "5'6" }, { height: '6" tall' }]);
  });
});

describe("destinations", () => {
  const csv = "phone,name\n+12125550100,New York\n+14165550123,Toronto\n+442079460958,London\n+19005550199,Premium\n";

  it("rejects numbers outside the platform's countries and premium-rate numbers, with the reason, counted and downloadable", async () => {
    const tenant = await newTenant();
    const result = await importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from(csv)]) });
    expect(result).toMatchObject({ imported: 2, rejected: 2 });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: result.campaignId } })).toMatchObject({ totalLeads: 2, rejectedCount: 2 });
    const lines = (await text((await rejectedRowsCsv(tenant.id, result.campaignId))!)).trim().split("\r\n");
    expect(lines).toEqual([
      "line,reason,raw",
      // The raw rows come neutralised for spreadsheets (a leading + would start a formula).
      '4,"destination country GB is not allowed for this account (allowed: US, CA)","\'+442079460958,London"',
      '5,premium-rate numbers are not allowed for this account,"\'+19005550199,Premium"',
    ]);
  });

  it("follows the tenant's own country list and premium setting, read once at the start", async () => {
    const tenant = await newTenant({ allowedCountries: ["GB", "US"], allowPremiumNumbers: true });
    const result = await importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from(csv)]) });
    expect(result).toMatchObject({ imported: 3, rejected: 1 });
    const rejected = await db.rejectedRow.findMany({ where: { campaignId: result.campaignId }, select: { line: true, reason: true } });
    expect(rejected).toEqual([{ line: 3, reason: "destination country CA is not allowed for this account (allowed: GB, US)" }]);
  });
});

describe("concurrent imports of one tenant", () => {
  it("refuses a third while two are in flight (429 on the API), leaves other tenants alone, and frees the slot after", async () => {
    const { key, tenantId } = await newApiTenant();
    const other = await newTenant();
    const [first, second] = [stalledCsv(), stalledCsv()];
    const running = [first, second].map((s) => importCampaign({ tenantId, options, source: s.source }));
    await Promise.all([first.started, second.started]);

    const refused = await importCampaign({ tenantId, options, source: Readable.from([Buffer.from("phone\n+12125550100\n")]) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "too_many_imports", message: "this account already has 2 imports running, the most it may run at once; wait for one to finish, then try again" });
    const res = await createRoute(apiRequest(key, multipart({ name: "Third" }, Readable.from([Buffer.from("phone\n+12125550100\n")]))), ctx());
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await res.json()).error.code).toBe("too_many_imports");
    await expect(importCampaign({ tenantId: other.id, options, source: Readable.from([Buffer.from("phone\n+12125550100\n")]) })).resolves.toMatchObject({ imported: 1 });

    first.finish();
    await expect(running[0]).resolves.toMatchObject({ imported: 2 });
    await expect(importCampaign({ tenantId, options, source: Readable.from([Buffer.from("phone\n+12125550100\n")]) })).resolves.toMatchObject({ imported: 1 });
    second.finish();
    await expect(running[1]).resolves.toMatchObject({ imported: 2 });
    expect(await db.campaign.count({ where: { tenantId } })).toBe(3);
  });

  it("gets the slot back when the connection of an import dies (a crashed web process)", async () => {
    const tenant = await newTenant();
    const stalled = [stalledCsv(), stalledCsv()];
    const running = stalled.map((s) => importCampaign({ tenantId: tenant.id, options, source: s.source }).catch((e: unknown) => e));
    await Promise.all(stalled.map((s) => s.started));
    // What Postgres sees when a process dies: the session ends, and with it the transaction and its locks.
    const { rows } = await pgPool().query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
       WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [`fairdial:import:${tenant.id}:0`],
    );
    expect(rows).toEqual([{ ended: true }]);
    // The import on that connection fails at once, without waiting for its upload to move (the other stays stalled).
    expect(await Promise.race(running)).toBeInstanceOf(Error);
    await expect(importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from("phone\n+12125550100\n")]) })).resolves.toMatchObject({ imported: 1 });
    for (const s of stalled) s.finish();
    const results = await Promise.all(running);
    expect(results.filter((r) => r instanceof Error)).toHaveLength(1);
    expect(results.find((r) => !(r instanceof Error))).toMatchObject({ imported: 2 });
    expect(await stateOf(tenant.id)).toMatchObject({ campaigns: 2, leads: 3 });
  });
});

describe("the deadline", () => {
  it("aborts an upload that stalls past the deadline, rolls back, and the slot and connection are free again", async () => {
    const tenant = await newTenant();
    const stalled = stalledCsv();
    const err = await importCampaign({ tenantId: tenant.id, options, source: stalled.source, deadlineMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "upload_timeout", message: expect.stringContaining("the upload took longer than 300 ms") });
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
    const next = await Promise.all([1, 2].map(() => importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from("phone\n+12125550100\n")]) })));
    expect(next.map((r) => r.imported)).toEqual([1, 1]);
  });

  it("cuts off the body of a multipart upload that timed out instead of draining it", async () => {
    const tenant = await newTenant();
    const stalled = stalledCsv();
    const body = multipart({ name: "Slow" }, stalled.source);
    const upload = await readMultipartUpload(body.stream, body.contentType);
    const err = await importCampaign({ tenantId: tenant.id, options, source: upload.file, deadlineMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upload_timeout" });
    // Draining would wait for a client that never sends the rest; finishUpload must return at once.
    await finishUpload(upload, err, undefined, 1024 * 1024);
    expect(body.cancelled()).toBe(true);
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });
});

// Helpers

async function newTenant(data: { allowedCountries?: string[]; allowPremiumNumbers?: boolean } = {}) {
  return db.tenant.create({ data: { name: uniqueId("limits"), ...data } });
}

async function newApiTenant() {
  const { tenant } = await signUp({ organisation: `Limits ${uniqueId()}`, name: "Owner", email: `${uniqueId("limits")}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key };
}

async function stateOf(tenantId: string) {
  const [campaigns, leads, rejectedRows] = await Promise.all([
    db.campaign.count({ where: { tenantId } }),
    db.lead.count({ where: { tenantId } }),
    db.rejectedRow.count({ where: { campaign: { tenantId } } }),
  ]);
  return { campaigns, leads, rejectedRows };
}

/**
 * A CSV whose upload stops after its first rows until finish() is called. `started` resolves once the import
 * has read past the header, i.e. holds its slot.
 */
function stalledCsv() {
  let finish!: () => void;
  let started!: () => void;
  const resume = new Promise<void>((resolve) => (finish = resolve));
  const reading = new Promise<void>((resolve) => (started = resolve));
  async function* chunks() {
    yield Buffer.from("phone,name\n+12125550100,First\n");
    started();
    await resume;
    yield Buffer.from("+12125550101,Second\n");
  }
  return { source: Readable.from(chunks(), { objectMode: false }), started: reading, finish };
}

/** A multipart body (text fields first, then the file) streamed from `file`, and whether the server cancelled it. */
function multipart(fields: Record<string, string>, file: Readable) {
  const boundary = `----fairdial${uniqueId()}`;
  const head = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("");
  const iterator = file[Symbol.asyncIterator]();
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Buffer.from(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`));
    },
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (!done) return controller.enqueue(new Uint8Array(value as Buffer));
      controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, contentType: `multipart/form-data; boundary=${boundary}`, cancelled: () => cancelled };
}

function apiRequest(key: string, body: { stream: ReadableStream<Uint8Array>; contentType: string }) {
  return new Request("http://test/api/v1/campaigns", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": body.contentType },
    body: body.stream,
    duplex: "half",
  } as RequestInit);
}

function ctx() {
  return { params: Promise.resolve({}) };
}

async function text(stream: Readable): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += String(chunk);
  return out;
}
