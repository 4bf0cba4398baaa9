// Do-not-call lists against the real Postgres: what is listed, which leads stop being dialable, and the counters.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { ImportError } from "../imports/schema";
import { campaignState, campaignWithLeads, uniqueUsNumber } from "../test/campaign-leads";
import { createTenant } from "../test/factories";
import { isSuppressed, listSuppressions, suppressionCounts } from "./data";
import { addSuppressions, importSuppressionCsv, removeSuppression } from "./mutations";

// Platform entries reach every tenant of the shared test database: each test lists numbers nobody else uses, and
// takes them off again here.
const platformNumbers: string[] = [];
afterAll(async () => {
  await db.suppressedNumber.deleteMany({ where: { tenantId: null, phone: { in: platformNumbers } } });
});

function platformNumber() {
  const phone = uniqueUsNumber();
  platformNumbers.push(phone);
  return phone;
}

describe("adding numbers", () => {
  it("normalises them to E.164, counts repeats and numbers already listed, and explains the invalid ones", async () => {
    const t = await createTenant();
    const first = await addSuppressions(
      { tenantId: t.id },
      [{ phone: "(212) 555-0100", reason: "asked by email" }, { phone: "+1 212 555 0100" }, { phone: "12" }, { phone: "020 7946 0958" }, { phone: "+44 20 7946 0958", reason: "  " }],
      "MANUAL",
      { defaultCountry: "GB" },
    );
    // "(212) 555-0100" read as a GB number is not valid; the +1 one is.
    expect(first).toMatchObject({ added: 2, alreadyListed: 1, leadsSuppressed: 0 });
    expect(first.rejected.map((r) => r.input)).toEqual(["(212) 555-0100", "12"]);
    expect(first.rejected[1]!.reason).toBe("too short");

    const again = await addSuppressions({ tenantId: t.id }, [{ phone: "2125550100" }, { phone: "+442079460958" }], "API");
    expect(again).toEqual({ added: 0, alreadyListed: 2, rejected: [], leadsSuppressed: 0 });

    const { suppressions } = await listSuppressions({ tenantId: t.id }, { limit: 50 });
    expect(suppressions.map((s) => [s.phone, s.reason, s.source])).toEqual([
      ["+442079460958", null, "MANUAL"],
      ["+12125550100", null, "MANUAL"],
    ]);
    expect(await suppressionCounts({ tenantId: t.id })).toEqual({ total: 2, bySource: { MANUAL: 2, UPLOAD: 0, API: 0, OPT_OUT: 0 } });
  });

  it("keeps each tenant's list to itself; the platform list applies to every tenant", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const own = uniqueUsNumber();
    const shared = platformNumber();
    await addSuppressions({ tenantId: a.id }, [{ phone: own }], "MANUAL");
    await addSuppressions({ platform: true }, [{ phone: shared }], "MANUAL");
    expect(await isSuppressed(a.id, own)).toBe(true);
    expect(await isSuppressed(b.id, own)).toBe(false);
    expect(await isSuppressed(a.id, shared)).toBe(true);
    expect(await isSuppressed(b.id, shared)).toBe(true);
    // The same number may be on a tenant's list and the platform's.
    expect((await addSuppressions({ tenantId: b.id }, [{ phone: shared }], "MANUAL")).added).toBe(1);
    expect((await listSuppressions({ tenantId: b.id }, { limit: 50 })).suppressions.map((s) => s.phone)).toEqual([shared]);
  });
});

describe("leads with a listed number", () => {
  it("pending and scheduled ones become SUPPRESSED with the reason; the counters follow; dialing and finished ones stay", async () => {
    const t = await createTenant();
    const [pending, scheduled, queued, dialing, done, other] = Array.from({ length: 6 }, () => uniqueUsNumber());
    const campaignId = await campaignWithLeads(
      t.id,
      [{ phone: pending! }, { phone: scheduled!, status: "SCHEDULED" }, { phone: queued!, status: "QUEUED" }, { phone: dialing!, status: "DIALING" }, { phone: done!, status: "COMPLETED" }, { phone: other! }],
      "RUNNING",
    );
    const second = await campaignWithLeads(t.id, [{ phone: pending! }, { phone: other! }]);
    expect(await campaignState(campaignId)).toMatchObject({ pendingCount: 2, suppressedCount: 0 });

    const result = await addSuppressions(
      { tenantId: t.id },
      [{ phone: pending!, reason: "customer request" }, { phone: scheduled! }, { phone: queued! }, { phone: dialing! }, { phone: done! }],
      "MANUAL",
    );
    expect(result).toMatchObject({ added: 5, leadsSuppressed: 3 });

    const state = await campaignState(campaignId);
    expect(state.leads.map((l) => l.status)).toEqual(["SUPPRESSED", "SUPPRESSED", "QUEUED", "DIALING", "COMPLETED", "PENDING"]);
    expect(state.leads[0]).toMatchObject({ suppressedReason: "on your do-not-call list: customer request", nextAttemptAt: null });
    expect(state.leads[1]).toMatchObject({ suppressedReason: "on your do-not-call list", nextAttemptAt: null });
    // pendingCount lost the one PENDING lead (not the SCHEDULED one, which it never counted); suppressedCount gained both.
    expect(state).toMatchObject({ pendingCount: 1, pendingLeads: 1, suppressedCount: 2 });
    expect(await campaignState(second)).toMatchObject({ pendingCount: 1, pendingLeads: 1, suppressedCount: 1 });

    // Adding the numbers again changes nothing: no lead is left to suppress.
    expect(await addSuppressions({ tenantId: t.id }, [{ phone: pending! }, { phone: scheduled! }], "MANUAL")).toMatchObject({ added: 0, alreadyListed: 2, leadsSuppressed: 0 });
    expect(await campaignState(campaignId)).toMatchObject({ pendingCount: 1, suppressedCount: 2 });
  });

  it("a tenant's list leaves another tenant's leads with the same numbers alone", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const phones = [uniqueUsNumber(), uniqueUsNumber()];
    const theirs = await campaignWithLeads(b.id, [{ phone: phones[0]! }, { phone: phones[1]!, status: "SCHEDULED" }]);
    const ours = await campaignWithLeads(a.id, [{ phone: phones[0]! }]);
    expect((await addSuppressions({ tenantId: a.id }, phones.map((phone) => ({ phone })), "UPLOAD")).leadsSuppressed).toBe(1);
    expect(await campaignState(theirs)).toMatchObject({ pendingCount: 1, suppressedCount: 0, leads: [{ status: "PENDING" }, { status: "SCHEDULED" }] });
    expect(await campaignState(ours)).toMatchObject({ pendingCount: 0, suppressedCount: 1, leads: [{ status: "SUPPRESSED" }] });
  });

  it("the platform list suppresses every tenant's leads with the number", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const phone = platformNumber();
    const ca = await campaignWithLeads(a.id, [{ phone }, { phone: uniqueUsNumber() }]);
    const cb = await campaignWithLeads(b.id, [{ phone, status: "SCHEDULED" }]);
    const result = await addSuppressions({ platform: true }, [{ phone, reason: "national registry" }], "UPLOAD");
    expect(result).toMatchObject({ added: 1, leadsSuppressed: 2 });
    expect(await campaignState(ca)).toMatchObject({ pendingCount: 1, suppressedCount: 1, leads: [{ status: "SUPPRESSED", suppressedReason: "on the platform do-not-call list: national registry" }, { status: "PENDING" }] });
    expect(await campaignState(cb)).toMatchObject({ pendingCount: 0, suppressedCount: 1, leads: [{ status: "SUPPRESSED" }] });
  });
});

describe("removing a number", () => {
  it("takes it off the list but leaves the leads it suppressed suppressed; an unlisted number is not found", async () => {
    const t = await createTenant();
    const phone = uniqueUsNumber();
    const campaignId = await campaignWithLeads(t.id, [{ phone }]);
    await addSuppressions({ tenantId: t.id }, [{ phone }], "MANUAL");
    await expect(removeSuppression({ tenantId: t.id }, phone)).resolves.toEqual({ phone });
    expect(await isSuppressed(t.id, phone)).toBe(false);
    expect(await campaignState(campaignId)).toMatchObject({ suppressedCount: 1, leads: [{ status: "SUPPRESSED" }] });
    await expect(removeSuppression({ tenantId: t.id }, phone)).rejects.toThrow(NotFoundError);
    // Another tenant cannot remove a number from this tenant's list.
    await addSuppressions({ tenantId: t.id }, [{ phone }], "MANUAL");
    const other = await createTenant();
    await expect(removeSuppression({ tenantId: other.id }, phone)).rejects.toThrow(NotFoundError);
    await expect(removeSuppression({ platform: true }, phone)).rejects.toThrow(NotFoundError);
    expect(await isSuppressed(t.id, phone)).toBe(true);
  });
});

describe("listing", () => {
  it("pages newest first by keyset and finds numbers by their start", async () => {
    const t = await createTenant();
    await addSuppressions({ tenantId: t.id }, ["+12125550100", "+12125550101", "+13125550102", "+447911123456"].map((phone) => ({ phone })), "API");
    const first = await listSuppressions({ tenantId: t.id }, { limit: 3 });
    expect(first.suppressions.map((s) => s.phone)).toEqual(["+447911123456", "+13125550102", "+12125550101"]);
    const next = await listSuppressions({ tenantId: t.id }, { limit: 3, cursor: first.nextCursor! });
    expect(next).toMatchObject({ suppressions: [{ phone: "+12125550100" }], nextCursor: null });
    const search = await listSuppressions({ tenantId: t.id }, { limit: 50, q: "+1 (212)" });
    expect(search.suppressions.map((s) => s.phone)).toEqual(["+12125550101", "+12125550100"]);
    expect((await listSuppressions({ tenantId: t.id }, { limit: 50, q: "44" })).suppressions.map((s) => s.phone)).toEqual(["+447911123456"]);
  });
});

describe("CSV upload", () => {
  it("reads a phone column and an optional reason, lists rejected lines with their line numbers, and suppresses leads", async () => {
    const t = await createTenant();
    const phone = uniqueUsNumber();
    const campaignId = await campaignWithLeads(t.id, [{ phone }]);
    const csv = `Name;Phone Number;Reason\nAda;${phone};asked\nBob;not a number;\n\nCy;+44 7911 123456;\nDee;${phone};again\n`;
    const result = await importSuppressionCsv({ tenantId: t.id }, csvStream(csv));
    expect(result).toEqual({ added: 2, alreadyListed: 1, rejected: [{ input: "not a number", reason: "not a phone number", line: 3 }], rejectedCount: 1, leadsSuppressed: 1 });
    expect((await listSuppressions({ tenantId: t.id }, { limit: 50 })).suppressions.map((s) => [s.phone, s.reason, s.source])).toEqual([
      ["+447911123456", null, "UPLOAD"],
      [phone, "asked", "UPLOAD"],
    ]);
    expect(await campaignState(campaignId)).toMatchObject({ pendingCount: 0, suppressedCount: 1 });
  });

  it("reads one column of numbers without a header, and skips a header it does not recognise", async () => {
    const t = await createTenant();
    expect(await importSuppressionCsv({ tenantId: t.id }, csvStream("+12125550100\r\n2125550101\r\n"))).toMatchObject({ added: 2, rejectedCount: 0 });
    expect(await importSuppressionCsv({ tenantId: t.id }, csvStream("Kontakte\n+12125550102\n"), { defaultCountry: "DE" })).toMatchObject({ added: 1, rejectedCount: 0 });
    expect((await suppressionCounts({ tenantId: t.id })).total).toBe(3);
  });

  it("refuses a file without a phone column, over 5 MB or over 200,000 rows, and adds nothing from it", async () => {
    const t = await createTenant();
    await expect(importSuppressionCsv({ tenantId: t.id }, csvStream("name,city\nAda,London\n"))).rejects.toMatchObject({ code: "missing_phone_column" });

    // 5 MB of valid rows: the byte guard stops the read, so none of the rows before the limit is added either.
    const row = `+12125550100,${"x".repeat(180)}\n`;
    const big = "phone,reason\n" + row.repeat(Math.ceil((5 * 1024 * 1024) / row.length) + 10);
    const tooBig = importSuppressionCsv({ tenantId: t.id }, csvStream(big));
    await expect(tooBig).rejects.toBeInstanceOf(ImportError);
    await expect(tooBig).rejects.toMatchObject({ code: "too_large", message: "file is larger than 5 MB; split it into smaller files" });
    await expect(importSuppressionCsv({ tenantId: t.id }, csvStream("phone\n"), { contentLength: 6 * 1024 * 1024 })).rejects.toMatchObject({ code: "too_large" });

    const many = "phone\n" + Array.from({ length: 200_001 }, (_, i) => `+1212${2_000_000 + i}`).join("\n");
    await expect(importSuppressionCsv({ tenantId: t.id }, csvStream(many))).rejects.toMatchObject({ code: "too_many_rows", line: 200_002 });
    await expect(importSuppressionCsv({ tenantId: t.id }, csvStream(""))).rejects.toMatchObject({ code: "empty_file" });
    expect((await suppressionCounts({ tenantId: t.id })).total).toBe(0);
  });

  it("lists at most the first 100 rejected lines but counts them all", async () => {
    const t = await createTenant();
    const csv = "phone\n" + Array.from({ length: 150 }, (_, i) => `bad ${i}`).join("\n") + "\n+12125550100\n";
    const result = await importSuppressionCsv({ tenantId: t.id }, csvStream(csv));
    expect(result).toMatchObject({ added: 1, rejectedCount: 150 });
    expect(result.rejected).toHaveLength(100);
    expect(result.rejected[0]).toMatchObject({ input: "bad 0", line: 2 });
  });
});

function csvStream(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}
