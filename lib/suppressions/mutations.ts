// Do-not-call lists: numbers in, and the leads they name that have not been dialed yet out of the dialable set,
// in one transaction. Set-based: one INSERT and one UPDATE per call, whatever the number of entries.
import type { SuppressionSource } from "@prisma/client";
import type { CountryCode } from "libphonenumber-js/max";
import type { PoolClient } from "pg";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { normalisePhone } from "../imports/phone";
import { log } from "../log";
import { pgPool, withTransaction } from "../pg";
import { leadSuppressedRowsSql, outboxInsertSql } from "../webhooks/outbox";
import { numbersCsvTooLarge, readNumbersCsv, type NumbersSource } from "./csv-numbers";
import {
  MAX_REJECTED_LISTED,
  SUPPRESSION_CSV_MAX_BYTES,
  SUPPRESSION_CSV_MAX_ROWS,
  type SuppressionImportResult,
  type SuppressionResult,
  type SuppressionScope,
} from "./schema";

export interface SuppressionEntry {
  phone: string;
  reason?: string | null;
  /** For a CSV: the line, reported with a rejection. */
  line?: number;
}

export interface SuppressionOptions {
  defaultCountry?: CountryCode;
  /**
   * Runs inside the transaction after the change, before COMMIT: for an audit row that must commit with it (lib/admin).
   * `result` is what the caller will get back.
   */
  afterWrite?: (client: PoolClient, result: SuppressionResult) => Promise<void>;
}

/** A platform-wide list change may touch every tenant's leads; the web pool's 30 s bound is too tight for that. */
const STATEMENT_TIMEOUT_MS = 5 * 60_000;

/**
 * Adds numbers to a list. Each is normalised to E.164 (`defaultCountry`, else US, for numbers without +code);
 * invalid ones come back in `rejected`. In the same transaction the scope's leads with a listed number that are
 * not dialed yet (PENDING, or SCHEDULED for a retry) become SUPPRESSED. Leads already QUEUED or DIALING are left
 * to the engine, which checks the lists right before it dials.
 */
export async function addSuppressions(scope: SuppressionScope, entries: SuppressionEntry[], source: SuppressionSource, options: SuppressionOptions = {}): Promise<SuppressionResult> {
  const country = options.defaultCountry ?? "US";
  const rejected: SuppressionResult["rejected"] = [];
  const valid: { phone: string; reason: string | null }[] = [];
  for (const entry of entries) {
    const phone = normalisePhone(entry.phone, country);
    if (phone.ok) valid.push({ phone: phone.e164, reason: entry.reason?.trim() || null });
    else rejected.push({ input: entry.phone, reason: phone.reason, ...(entry.line === undefined ? {} : { line: entry.line }) });
  }
  return writeSuppressions(scope, valid, source, rejected, options);
}

/**
 * Takes a number off a list. Leads it already suppressed stay SUPPRESSED (they are not silently put back in a
 * running campaign); NotFoundError when the number is not on the list.
 */
export async function removeSuppression(scope: SuppressionScope, phone: string, options: Pick<SuppressionOptions, "afterWrite"> = {}): Promise<{ phone: string }> {
  const normalised = normalisePhone(phone, "US");
  const e164 = normalised.ok ? normalised.e164 : phone.trim();
  return inTransaction(async (client) => {
    const { rows } = "platform" in scope
      ? await client.query(`DELETE FROM "SuppressedNumber" WHERE "tenantId" IS NULL AND phone = $1 RETURNING phone`, [e164])
      : await client.query(`DELETE FROM "SuppressedNumber" WHERE "tenantId" = $1 AND phone = $2 RETURNING phone`, [scope.tenantId, e164]);
    if (rows.length === 0) throw new NotFoundError("platform" in scope ? "This number is not on the platform do-not-call list" : "This number is not on your do-not-call list");
    await options.afterWrite?.(client, { added: 0, alreadyListed: 0, rejected: [], leadsSuppressed: 0 });
    return { phone: e164 };
  });
}

/**
 * A CSV of numbers added as a whole or not at all: a file over the limits (5 MB, 200,000 rows) or unreadable throws
 * ImportError before anything is written. Rejected lines are listed up to MAX_REJECTED_LISTED; `rejectedCount` has all.
 */
export async function importSuppressionCsv(
  scope: SuppressionScope,
  source: NumbersSource,
  options: SuppressionOptions & { maxBytes?: number; maxRows?: number; contentLength?: number } = {},
): Promise<SuppressionImportResult> {
  const maxBytes = options.maxBytes ?? SUPPRESSION_CSV_MAX_BYTES;
  if (options.contentLength !== undefined && options.contentLength > maxBytes) throw numbersCsvTooLarge(maxBytes);
  const country = options.defaultCountry ?? "US";
  const file = await readNumbersCsv(source, { maxBytes, maxRows: options.maxRows ?? SUPPRESSION_CSV_MAX_ROWS }, country);
  const result = await addSuppressions(scope, file.entries, "UPLOAD", options);
  const rejected = [...file.rejected, ...result.rejected].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ...result, rejected: rejected.slice(0, MAX_REJECTED_LISTED), rejectedCount: rejected.length };
}

/**
 * "Don't call me again", said during a call: the number of the attempt's lead goes on the tenant's list (source
 * OPT_OUT). An attempt of another tenant, or none, is a NotFoundError.
 */
export async function optOutFromCall(tenantId: string, attemptId: string, reason?: string | null) {
  const attempt = await db.callAttempt.findFirst({ where: { id: attemptId, tenantId }, select: { campaignId: true, lead: { select: { id: true, phone: true } } } });
  if (!attempt) throw new NotFoundError("Call not found");
  // The lead's own number as stored, not re-normalised: it is exactly what its other leads are matched on.
  const result = await writeSuppressions({ tenantId }, [{ phone: attempt.lead.phone, reason: reason?.trim() || null }], "OPT_OUT", [], {});
  log.info({ tenantId, campaignId: attempt.campaignId, leadId: attempt.lead.id.toString(), attemptId }, "opt-out during a call");
  return { phone: attempt.lead.phone, added: result.added === 1, leadsSuppressed: result.leadsSuppressed };
}

async function writeSuppressions(
  scope: SuppressionScope,
  valid: { phone: string; reason: string | null }[],
  source: SuppressionSource,
  rejected: SuppressionResult["rejected"],
  options: SuppressionOptions,
): Promise<SuppressionResult> {
  // A number given twice is one entry; the first reason wins. Also keeps each lead matched by one entry only.
  const unique = new Map<string, string | null>();
  for (const v of valid) if (!unique.has(v.phone)) unique.set(v.phone, v.reason);
  const phones = [...unique.keys()];
  const reasons = [...unique.values()];
  const tenantId = "platform" in scope ? null : scope.tenantId;
  const result = await inTransaction(async (client) => {
    let added = 0;
    let leadsSuppressed = 0;
    if (phones.length > 0) {
      const inserted = await client.query(
        `INSERT INTO "SuppressedNumber" ("tenantId", phone, reason, source)
         SELECT $1::text, e.phone, e.reason, $4::"SuppressionSource"
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(phone, reason, ord) ORDER BY e.ord
         ON CONFLICT ("tenantId", phone) DO NOTHING`,
        [tenantId, phones, reasons, source],
      );
      added = inserted.rowCount ?? 0;
      const marking = [phones, reasons, suppressedReason(scope, source)];
      const { rows } = await client.query(markLeadsSql(scope), tenantId === null ? marking : [tenantId, ...marking]);
      leadsSuppressed = rows[0].n;
    }
    const out: SuppressionResult = { added, alreadyListed: valid.length - added, rejected, leadsSuppressed };
    await options.afterWrite?.(client, out);
    return out;
  });
  if (result.added > 0 || result.leadsSuppressed > 0) {
    log.info({ tenantId, source, added: result.added, leadsSuppressed: result.leadsSuppressed }, "numbers added to a do-not-call list");
  }
  return result;
}

/**
 * Marks the scope's not-yet-dialed leads with a listed number SUPPRESSED and, in the same statement, lowers each
 * campaign's pendingCount by those that were PENDING (the invariant every statement moving leads to or from PENDING
 * keeps) and raises its suppressedCount by all of them. The leads are locked first, in id order, and re-checked
 * under the lock: a claim that moved one to QUEUED meanwhile wins, and the engine's dial-time check covers it.
 * Leads before their campaign, as the engine locks them.
 *
 * Tenant: $1 tenant, $2 phones, $3 reasons, $4 reason prefix. Platform: $1 phones, $2 reasons, $3 prefix; every
 * tenant's leads, reached through "Tenant" so Lead_tenantId_phone_idx serves each (tenant, number) pair.
 */
function markLeadsSql(scope: SuppressionScope) {
  const platform = "platform" in scope;
  const p = platform ? ["$1", "$2", "$3"] : ["$2", "$3", "$4"];
  const leads = platform
    ? `e CROSS JOIN "Tenant" tn JOIN "Lead" l ON l."tenantId" = tn.id AND l.phone = e.phone`
    : `e JOIN "Lead" l ON l."tenantId" = $1 AND l.phone = e.phone`;
  return `
    WITH e AS (SELECT * FROM unnest(${p[0]}::text[], ${p[1]}::text[]) AS e(phone, reason)),
    target AS (
      SELECT l.id, l."campaignId", l.status AS was, e.reason FROM ${leads}
      WHERE l.status IN ('PENDING', 'SCHEDULED')
      ORDER BY l.id
      FOR UPDATE OF l
    ), marked AS (
      UPDATE "Lead" l SET status = 'SUPPRESSED', "suppressedReason" = ${p[2]}::text || coalesce(': ' || t.reason, ''), "nextAttemptAt" = NULL, "updatedAt" = now()
      FROM target t WHERE l.id = t.id
      RETURNING l.*, t.was
    ), ev AS (${outboxInsertSql(leadSuppressedRowsSql("marked l"))}
    ), per AS (
      SELECT "campaignId", count(*)::int AS n, (count(*) FILTER (WHERE was = 'PENDING'))::int AS pending FROM marked GROUP BY 1
    ), bumped AS (
      UPDATE "Campaign" c SET "pendingCount" = GREATEST(0, c."pendingCount" - per.pending), "suppressedCount" = c."suppressedCount" + per.n
      FROM per WHERE c.id = per."campaignId"
      RETURNING 1
    )
    SELECT coalesce(sum(n), 0)::int AS n FROM per`;
}

/** What the lead's page says about why it was never called. */
function suppressedReason(scope: SuppressionScope, source: SuppressionSource) {
  if (source === "OPT_OUT") return "opted out during a call";
  return "platform" in scope ? "on the platform do-not-call list" : "on your do-not-call list";
}

function inTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pgPool(), async (client) => {
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(STATEMENT_TIMEOUT_MS)]);
    return fn(client);
  });
}
