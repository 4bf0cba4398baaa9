import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { env } from "../env";
import { closePgPool } from "../pg";
import { destinationPolicy, type DestinationPolicy } from "../tenants/destinations";
import { csvOfSize, leadsCsv, leadsCsvCounts, longLineCsv } from "./fixtures/generate";
import { importCampaign } from "./import";
import { parseLeads, type LeadRow, type RejectedLine } from "./parse";
import { rejectedRowsCsv } from "./rejected-csv";
import { ImportError } from "./schema";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const MB = 1024 * 1024;
const options = { name: "Spring campaign", defaultCountry: "US" };
// Imports of 10^5–10^6 generated rows: ~20–140 s each with both cores busy, so the suites allow far more than that.
const HEAVY = { timeout: 300_000 };

afterAll(async () => {
  await closePgPool();
});

describe("importCampaign", HEAVY, () => {
  it("imports a generated 100,000-row file in one go", async () => {
    const tenant = await newTenant();
    const file = { rows: 100_000, invalidEvery: 1000, duplicateEvery: 1000 };
    const expected = leadsCsvCounts(file);
    const progress: number[] = [];

    const result = await importCampaign({ tenantId: tenant.id, options, source: leadsCsv(file), onProgress: (p) => progress.push(p.rows) });

    expect(result).toEqual({ campaignId: expect.any(String), ...expected, suppressed: 0, ignoredTimeZones: 0, ignoredTimeZoneSamples: [] });
    expect(progress.at(-1)).toBe(100_000);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: result.campaignId } });
    expect(campaign).toMatchObject({
      tenantId: tenant.id,
      name: "Spring campaign",
      status: "DRAFT",
      defaultCountry: "US",
      totalLeads: expected.imported,
      rejectedCount: expected.rejected,
      duplicateCount: expected.duplicates,
    });
    expect(await db.lead.count({ where: { campaignId: campaign.id, tenantId: tenant.id, status: "PENDING" } })).toBe(expected.imported);
    expect(await db.rejectedRow.count({ where: { campaignId: campaign.id, reason: "too short" } })).toBe(expected.rejected);
    const first = await db.lead.findFirstOrThrow({ where: { campaignId: campaign.id }, orderBy: { line: "asc" } });
    expect(first).toMatchObject({ line: 2, phone: "+12012000000", name: null, timezone: null, variables: { account: "A-0", city: "City 0", plan: "plan-0" } });
    const last = await db.lead.findFirstOrThrow({ where: { campaignId: campaign.id }, orderBy: { line: "desc" } });
    // Rows 100,000 and 99,999 (lines 100,001 and 100,000) are the generator's invalid and duplicate ones.
    expect(last.line).toBe(99_999);
  });

  it.each([
    "basic.csv",
    "quoted-multiline.csv",
    "crlf-bom.csv",
    "semicolon.csv",
    "invalid-and-duplicates.csv",
    "formula-cells.csv",
    "escapes.csv",
    "stray-quote.csv",
    "utf16le-bom.txt",
    "utf16be-bom.txt",
  ])(
    "stores %s exactly as parsed (COPY escaping round-trips)",
    async (name) => {
      const tenant = await newTenant();
      const bytes = readFileSync(path.join(FIXTURES, name));
      const mapping = name === "semicolon.csv" ? { phoneColumn: "Telefon", nameColumn: "Name" } : undefined;
      // The import applies the tenant's destination policy (platform default: US, CA), so the parse does too.
      const parsed = await parseAll(bytes, mapping, destinationPolicy(tenant, env().ALLOWED_COUNTRIES));

      const result = await importCampaign({ tenantId: tenant.id, options: { ...options, mapping }, source: Readable.from([bytes]) });

      expect(result).toMatchObject({ imported: parsed.leads.length, rejected: parsed.rejected.length, duplicates: parsed.duplicates });
      const leads = await db.lead.findMany({ where: { campaignId: result.campaignId }, orderBy: { line: "asc" }, select: { line: true, phone: true, name: true, timezone: true, variables: true, windowKey: true, timezones: true } });
      const columns = (l: { line: number; phone: string; name: string | null; timezone: string | null; variables: unknown }) => ({ line: l.line, phone: l.phone, name: l.name, timezone: l.timezone, variables: l.variables });
      expect(leads.map(columns)).toEqual(parsed.leads.map(columns));
      // Each lead's calling window: its number's country and the zones the file or the number gave.
      for (const [i, lead] of leads.entries()) expect(lead.windowKey).toBe(`${parsed.leads[i]!.country}|${lead.timezones.join(",")}`);
      const rejected = await db.rejectedRow.findMany({ where: { campaignId: result.campaignId }, orderBy: { line: "asc" }, select: { line: true, reason: true, raw: true } });
      expect(rejected).toEqual(parsed.rejected);
    },
  );

  it("imports a row whose time zone is not one with its number's zone, else the campaign's, and reports the values ignored", async () => {
    const tenant = await newTenant();
    const more = Array.from({ length: 5 }, (_, i) => `+1312555020${i},More ${i},EST${i}x`);
    // Chicago numbers; +1 800 (toll-free) has no area, so its zone is the campaign's.
    const csv = ["phone,name,timezone", "+13125550100,Valid,europe/paris", "+13125550101,Blank,", "+13125550102,Invalid,Mars/Olympus", "+18005550100,Toll free,Not/AZone", ...more].join("\n");
    const result = await importCampaign({ tenantId: tenant.id, options: { ...options, timezone: "America/Denver" }, source: Readable.from([Buffer.from(csv)]) });

    expect(result).toMatchObject({ imported: 9, rejected: 0, ignoredTimeZones: 7 });
    expect(result.ignoredTimeZoneSamples).toEqual([
      { line: 4, value: "Mars/Olympus" },
      { line: 5, value: "Not/AZone" },
      { line: 6, value: "EST0x" },
      { line: 7, value: "EST1x" },
      { line: 8, value: "EST2x" },
    ]);
    const leads = await db.lead.findMany({ where: { campaignId: result.campaignId }, orderBy: { line: "asc" }, take: 4, select: { line: true, timezone: true, timezones: true, zoneSource: true, windowKey: true } });
    expect(leads).toEqual([
      { line: 2, timezone: "Europe/Paris", timezones: ["Europe/Paris"], zoneSource: "FILE", windowKey: "US|Europe/Paris" },
      { line: 3, timezone: null, timezones: ["America/Chicago"], zoneSource: "PHONE", windowKey: "US|America/Chicago" },
      { line: 4, timezone: null, timezones: ["America/Chicago"], zoneSource: "PHONE", windowKey: "US|America/Chicago" },
      { line: 5, timezone: null, timezones: ["America/Denver"], zoneSource: "CAMPAIGN", windowKey: expect.stringMatching(/\|America\/Denver$/) },
    ]);
    expect(await db.rejectedRow.count({ where: { campaignId: result.campaignId } })).toBe(0);
  });

  it("serves the rejected rows as a neutralised CSV, to their tenant only", async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const csv = 'phone,name\n=1+2,"Eve, the attacker"\n+12125550100,Ada\n123,"multi\nline"\n';
    const { campaignId } = await importCampaign({ tenantId: tenant.id, options, source: Readable.from([Buffer.from(csv)]) });

    const stream = await rejectedRowsCsv(tenant.id, campaignId);
    expect(await text(stream!)).toBe(`line,reason,raw\r\n2,not a phone number,"'=1+2,""Eve, the attacker"""\r\n4,too short,"123,""multi\nline"""\r\n`);
    expect(await rejectedRowsCsv(other.id, campaignId)).toBeNull();
    expect(await rejectedRowsCsv(tenant.id, "cnonexistent")).toBeNull();
  });
});

describe("importCampaign is all or nothing", HEAVY, () => {
  it("leaves no campaign, lead or rejected row when it fails mid-way (failAfterRows)", async () => {
    const tenant = await newTenant();
    const err = await importCampaign({
      tenantId: tenant.id,
      options,
      source: leadsCsv({ rows: 300_000, invalidEvery: 100 }),
      failAfterRows: 250_000,
    }).catch((e: unknown) => e);

    expect(err).toMatchObject({ message: expect.stringContaining("failAfterRows test hook") });
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("leaves nothing when it fails at the last moment, after the rejected rows were copied", async () => {
    const tenant = await newTenant();
    const source = Readable.from([readFileSync(path.join(FIXTURES, "invalid-and-duplicates.csv"))]);
    const err = await importCampaign({ tenantId: tenant.id, options, source, failAfterRows: Number.MAX_SAFE_INTEGER }).catch((e: unknown) => e);

    expect(err).toMatchObject({ message: "failAfterRows test hook: failing the import before COMMIT" });
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it.each([
    ["empty.csv", "empty_file"],
    ["header-only.csv", "no_data_rows"],
    ["binary.csv", "not_utf8"],
    ["latin1.csv", "not_utf8"],
    ["missing-phone.csv", "missing_phone_column"],
    ["unbalanced-quotes.csv", "malformed_csv"],
    ["duplicate-columns.csv", "duplicate_column"],
  ])("leaves the database unchanged for %s (%s)", async (name, code) => {
    const tenant = await newTenant();
    const source = Readable.from([readFileSync(path.join(FIXTURES, name))]);
    await expectImportError(importCampaign({ tenantId: tenant.id, options, source }), code);
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it.each([
    ["a 2 MB line", () => Readable.from([longLineCsv(2 * MB)]), "line_too_long"],
    ["50 MB + 1 byte", () => csvOfSize(50 * MB + 1), "too_large"],
    ["a bad row after 150,000 good ones", () => Readable.from(concat(leadsCsv({ rows: 150_000 }), ['+12125550100,"unclosed\n'])), "malformed_csv"],
  ])("leaves the database unchanged for %s", async (_, source, code) => {
    const tenant = await newTenant();
    await expectImportError(importCampaign({ tenantId: tenant.id, options, source: source() }), code);
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("leaves the database unchanged for 1,000,001 rows", { timeout: 600_000 }, async () => {
    const tenant = await newTenant();
    await expectImportError(importCampaign({ tenantId: tenant.id, options, source: leadsCsv({ rows: 1_000_001 }) }), "too_many_rows");
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("rolls back when the upload breaks off (client gone)", async () => {
    const tenant = await newTenant();
    const source = Readable.from(
      concat(leadsCsv({ rows: 50_000 }), [], () => {
        throw new Error("socket hang up");
      }),
    );
    await expect(importCampaign({ tenantId: tenant.id, options, source })).rejects.toThrow("socket hang up");
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("rolls back when the request is aborted", async () => {
    const tenant = await newTenant();
    const controller = new AbortController();
    const run = importCampaign({
      tenantId: tenant.id,
      options,
      source: leadsCsv({ rows: 50_000 }),
      signal: controller.signal,
      onProgress: (p) => p.rows > 10_000 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(await stateOf(tenant.id)).toEqual({ campaigns: 0, leads: 0, rejectedRows: 0 });
  });

  it("rolls back on a database error (unknown tenant) and the pool keeps working", async () => {
    await expect(importCampaign({ tenantId: `missing-${randomUUID()}`, options, source: leadsCsv({ rows: 10 }) })).rejects.toThrow(/foreign key/);
    const tenant = await newTenant();
    await expect(importCampaign({ tenantId: tenant.id, options, source: leadsCsv({ rows: 10 }) })).resolves.toMatchObject({ imported: 10 });
  });
});

async function newTenant() {
  return db.tenant.create({ data: { name: `imports-${randomUUID().slice(0, 8)}` } });
}

async function stateOf(tenantId: string) {
  const [campaigns, leads, rejectedRows] = await Promise.all([
    db.campaign.count({ where: { tenantId } }),
    db.lead.count({ where: { tenantId } }),
    db.rejectedRow.count({ where: { campaign: { tenantId } } }),
  ]);
  return { campaigns, leads, rejectedRows };
}

async function expectImportError(run: Promise<unknown>, code: string) {
  const err = await run.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  expect(err).toMatchObject({ code });
}

async function parseAll(bytes: Buffer, mapping: { phoneColumn: string; nameColumn?: string } | undefined, destinations: DestinationPolicy) {
  const leads: Omit<LeadRow, never>[] = [];
  const rejected: RejectedLine[] = [];
  let duplicates = 0;
  for await (const batch of parseLeads(Readable.from([bytes]), { defaultCountry: "US", mapping, destinations })) {
    leads.push(...batch.leads);
    rejected.push(...batch.rejected);
    duplicates += batch.duplicates;
  }
  return { leads, rejected, duplicates };
}

/** The chunks of `first`, then `more`, then whatever `end` does (e.g. throw, as a dropped connection does). */
async function* concat(first: Readable, more: string[], end?: () => void): AsyncGenerator<Buffer> {
  for await (const chunk of first) yield chunk as Buffer;
  for (const chunk of more) yield Buffer.from(chunk);
  end?.();
}

async function text(stream: Readable): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += String(chunk);
  return out;
}
