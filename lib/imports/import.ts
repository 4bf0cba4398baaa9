// A campaign from an uploaded CSV, all or nothing: the campaign row, its leads and its rejected rows are
// written in one transaction on one connection, the leads streamed with COPY as the upload is parsed.
// Any failure — a bad file found at row 900,000, a limit, Postgres, the client going away, the deadline — rolls back.
import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { CountryCode } from "libphonenumber-js/max";
import { env } from "../env";
import { log } from "../log";
import { IDLE_IN_TRANSACTION_MS, pgPool } from "../pg";
import { destinationPolicy, type DestinationPolicy } from "../tenants/destinations";
import { resolveLeadZones, windowKey } from "../rules/phone-zones";
import { leadSuppressedRowsSql, outboxInsertSql } from "../webhooks/outbox";
import { copyJson, copyNullable, copyText } from "./copy-text";
import { takeImportSlot } from "./import-slots";
import { parseLeads, type ImportLimits, type ImportSource } from "./parse";
import { RejectSpool } from "./reject-spool";
import { IGNORED_ZONE_SAMPLES, ImportError, importOptionsSchema, type ImportResult } from "./schema";
import type { z } from "zod";

export interface ImportProgress {
  bytes: number;
  rows: number;
  imported: number;
  rejected: number;
  duplicates: number;
}

export interface ImportCampaignInput {
  tenantId: string;
  /** Parsed here with importOptionsSchema, so a form's raw values can be passed as they are. */
  options: z.input<typeof importOptionsSchema>;
  source: ImportSource;
  /** Defaults: IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, 1 MB per line. */
  limits?: Partial<ImportLimits>;
  /** Called after each batch (about every 2,000 rows). */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting (e.g. the request's signal) stops the import and rolls it back. */
  signal?: AbortSignal;
  /** Defaults to IMPORT_DEADLINE_MS: an import still running after this long is stopped and rolled back. */
  deadlineMs?: number;
  /** Defaults to IMPORT_MAX_CONCURRENT_PER_TENANT. */
  maxConcurrent?: number;
  /**
   * TEST HOOK, never set outside tests: throws once this many data rows have been parsed and streamed to
   * Postgres (checked per batch), or — when the file has fewer rows — right before COMMIT, after the
   * rejected rows were copied too. Proves that a failure at any point leaves no campaign, lead or rejected row.
   */
  failAfterRows?: number;
}

const COPY_LEADS = `COPY "Lead" ("tenantId", "campaignId", line, phone, name, timezone, timezones, "zoneSource", "windowKey", variables) FROM STDIN`;
const COPY_REJECTED = `COPY "RejectedRow" ("campaignId", line, reason, raw) FROM STDIN`;
const ROWS_PER_COPY = 100_000;
/** COPY text held while the previous statement finishes: about 60,000 rows, 0.6 s of parsing. */
const BACKLOG_BYTES = 8 * 1024 * 1024;

export async function importCampaign(input: ImportCampaignInput): Promise<ImportResult> {
  const options = importOptionsSchema.parse(input.options);
  const { tenantId } = input;
  const deadlineMs = input.deadlineMs ?? env().IMPORT_DEADLINE_MS;
  const campaignId = newCampaignId();
  const started = performance.now();
  const client = await connect();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ImportError("upload_timeout", `the upload took longer than ${duration(deadlineMs)}, the most an import may take; nothing was imported. Try again on a faster connection, or split the file`)), deadlineMs);
  // A connection Postgres closed (or lost) fails the import at once, not when the upload next sends a byte.
  const lost = new AbortController();
  const signal = AbortSignal.any([deadline.signal, lost.signal, ...(input.signal ? [input.signal] : [])]);
  // A checked-out client has no error listener of its own: a connection Postgres closes (e.g. for being idle
  // in a transaction) would emit an unhandled 'error' and take the process down.
  const connection: { error?: Error & { code?: string } } = {};
  const onConnectionError = (err: Error) => {
    connection.error = err;
    lost.abort(err);
  };
  client.on("error", onConnectionError);
  const spool = new RejectSpool();
  let copies: { streams: Writable[] } | null = null;
  let destroyClient = false;
  const totals = { imported: 0, rejected: 0, duplicates: 0 };
  const ignoredZones: ImportResult["ignoredTimeZoneSamples"] = [];
  let ignoredZoneCount = 0;
  try {
    await client.query("BEGIN");
    // The web pool's statement_timeout would cut a COPY that streams a slow upload; the deadline bounds it instead.
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(deadlineMs)]);
    await takeImportSlot(client, tenantId, input.maxConcurrent ?? env().IMPORT_MAX_CONCURRENT_PER_TENANT);
    const schedule = options.schedule;
    await client.query(
      `INSERT INTO "Campaign" (id, "tenantId", name, "defaultCountry", timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt", status)
       VALUES ($1, $2, $3, $4, $5, coalesce($6::int[], ARRAY[1, 2, 3, 4, 5, 6, 7]), $7, $8, $9, $10, 'DRAFT')`,
      [campaignId, tenantId, options.name, options.defaultCountry, options.timezone, schedule?.days ?? null, schedule?.start ?? null, schedule?.end ?? null, schedule?.startAt ?? null, schedule?.endAt ?? null],
    );
    const windowKeys = new Map<string, { country: string; zones: string[] }>();
    const destinations = await tenantDestinations(client, tenantId);
    const leads = new LeadCopy(client);
    copies = leads;
    const leadPrefix = `${copyText(tenantId)}\t${campaignId}\t`;
    const parsed = parseLeads(input.source, {
      defaultCountry: options.defaultCountry as CountryCode,
      mapping: options.mapping,
      limits: input.limits,
      destinations,
      signal,
    });
    for await (const batch of parsed) {
      signal.throwIfAborted();
      // One write per batch: a string per row would cost a COPY message and a drain check each.
      let text = "";
      for (const lead of batch.leads) {
        const { zones, source } = resolveLeadZones({ fileZone: lead.timezone, e164: lead.phone, campaignZone: options.timezone });
        if (lead.ignoredTimeZone !== undefined) {
          ignoredZoneCount++;
          if (ignoredZones.length < IGNORED_ZONE_SAMPLES) ignoredZones.push({ line: lead.line, value: lead.ignoredTimeZone });
        }
        const key = windowKey(lead.country, zones);
        if (!windowKeys.has(key)) windowKeys.set(key, { country: lead.country, zones });
        // IANA names are letters, digits, "/", "_", "-" and "+": nothing COPY or an array literal would escape.
        text += `${leadPrefix}${lead.line}\t${lead.phone}\t${copyNullable(lead.name)}\t${copyNullable(lead.timezone)}\t{${zones.join(",")}}\t${source}\t${copyText(key)}\t${copyJson(lead.variables)}\n`;
      }
      let rejectedText = "";
      for (const row of batch.rejected) rejectedText += `${campaignId}\t${row.line}\t${copyText(row.reason)}\t${copyText(row.raw)}\n`;
      await leads.write(text, batch.leads.length);
      await spool.append(rejectedText);
      totals.imported += batch.leads.length;
      totals.rejected += batch.rejected.length;
      totals.duplicates += batch.duplicates;
      input.onProgress?.({ bytes: batch.bytes, rows: batch.rows, ...totals });
      if (input.failAfterRows !== undefined && batch.rows >= input.failAfterRows) {
        throw new Error(`failAfterRows test hook: failing the import after ${batch.rows} rows`);
      }
    }
    await leads.end();
    copies = null;
    if (!spool.empty) {
      const rejected = client.query(copyFrom(COPY_REJECTED));
      copies = { streams: [rejected] };
      rejected.on("error", () => {});
      await pipeline(await spool.read(), rejected);
      copies = null;
    }
    if (input.failAfterRows !== undefined) throw new Error("failAfterRows test hook: failing the import before COMMIT");
    await client.query(
      `INSERT INTO "CampaignWindowKey" ("campaignId", key, country, zones)
       SELECT $1, k.key, k.country, string_to_array(k.zones, ',') FROM unnest($2::text[], $3::text[], $4::text[]) AS k(key, country, zones)`,
      [campaignId, [...windowKeys.keys()], [...windowKeys.values()].map((k) => k.country), [...windowKeys.values()].map((k) => k.zones.join(","))],
    );
    const suppressed = await markSuppressed(client, tenantId, campaignId);
    await client.query(`UPDATE "Campaign" SET "totalLeads" = $2, "rejectedCount" = $3, "duplicateCount" = $4, "suppressedCount" = $5 WHERE id = $1`, [
      campaignId,
      totals.imported,
      totals.rejected,
      totals.duplicates,
      suppressed,
    ]);
    await client.query("COMMIT");
    log.info({ tenantId, campaignId, ...totals, suppressed, ignoredTimeZones: ignoredZoneCount, ms: Math.round(performance.now() - started) }, "campaign imported");
    return { campaignId, ...totals, suppressed, ignoredTimeZones: ignoredZoneCount, ignoredTimeZoneSamples: ignoredZones };
  } catch (err) {
    destroyClient = !(await rollback(client, copies?.streams ?? [], err));
    // Whichever statement or write noticed first, the user is told the cause.
    if (deadline.signal.aborted) throw deadline.signal.reason;
    if (connection.error?.code === IDLE_IN_TRANSACTION_TIMEOUT) {
      throw new ImportError("upload_timeout", `the upload stalled for more than ${duration(IDLE_IN_TRANSACTION_MS)}; nothing was imported. Try again`);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    client.off("error", onConnectionError);
    client.release(destroyClient);
    await spool.dispose();
  }
}

/**
 * Leads whose number is on the tenant's or the platform's do-not-call list are imported (so the results show them)
 * as SUPPRESSED with the reason, never pending. One join through the lists, which are far shorter than a file.
 */
export async function markSuppressed(client: PoolClient, tenantId: string, campaignId: string): Promise<number> {
  const { rows } = await client.query(
    `WITH marked AS (
       UPDATE "Lead" l SET status = 'SUPPRESSED',
         "suppressedReason" = CASE WHEN s."tenantId" IS NULL THEN 'on the platform do-not-call list' ELSE 'on your do-not-call list' END
           || CASE WHEN s.reason IS NULL OR s.reason = '' THEN '' ELSE ': ' || s.reason END
       FROM (SELECT DISTINCT ON (phone) phone, "tenantId", reason FROM "SuppressedNumber" WHERE "tenantId" = $1 OR "tenantId" IS NULL ORDER BY phone, "tenantId" NULLS LAST) s
       WHERE l."tenantId" = $1 AND l."campaignId" = $2 AND l.phone = s.phone
       RETURNING l.*
     ), ev AS (${outboxInsertSql(leadSuppressedRowsSql("marked l"))})
     SELECT count(*)::int AS n FROM marked`,
    [tenantId, campaignId],
  );
  return rows[0].n;
}

/** Postgres's SQLSTATE for a session it closed for being idle in a transaction too long. */
const IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

async function connect(): Promise<PoolClient> {
  try {
    return await pgPool().connect();
  } catch (err) {
    // connectionTimeoutMillis (lib/pg.ts): every connection is taken, or the database does not answer.
    log.warn({ err }, "import could not get a database connection");
    throw new ImportError("server_busy", "the server is too busy to start the import right now; nothing was imported. Try again in a minute");
  }
}

/** Read once per import, inside its transaction (the Campaign insert's foreign key keeps the tenant row in place). */
async function tenantDestinations(client: PoolClient, tenantId: string): Promise<DestinationPolicy> {
  const { rows } = await client.query<{ allowedCountries: string[]; allowPremiumNumbers: boolean }>(
    `SELECT "allowedCountries", "allowPremiumNumbers" FROM "Tenant" WHERE id = $1`,
    [tenantId],
  );
  return destinationPolicy(rows[0]!, env().ALLOWED_COUNTRIES);
}

function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? "1 minute" : `${ms / 60_000} minutes`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** Prisma's cuid() is generated client-side, so raw SQL has to bring its own id; this one is as unique. */
export function newCampaignId(): string {
  return `c${randomUUID().replaceAll("-", "")}`;
}

/**
 * The Lead COPY, split into statements of ROWS_PER_COPY rows. Postgres checks the foreign keys of copied
 * rows when the statement ends, so one big COPY leaves the parser idle through a long serial tail (6 s per
 * million rows here). Between statements the parser keeps going into a bounded backlog (BACKLOG_BYTES)
 * while Postgres checks the previous one; the backlog opens the next statement once that has finished.
 * (Queueing the next COPY on the busy client instead is deprecated in pg 8 and removed in pg 9.)
 */
class LeadCopy {
  readonly streams: Writable[] = [];
  private current: Writable | null = null;
  private rows = 0;
  private ending: Promise<void> | null = null;
  private ended = false;
  private failed: Error | null = null;
  private backlog: { bytes: Buffer; rows: number }[] = [];
  private backlogBytes = 0;

  constructor(private readonly client: PoolClient) {}

  async write(text: string, rows: number): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.ending) {
      // Flattened to bytes now: a batch built with += is a rope of thousands of small strings.
      const bytes = Buffer.from(text);
      this.backlog.push({ bytes, rows });
      this.backlogBytes += bytes.length;
      if (!this.ended && this.backlogBytes < BACKLOG_BYTES) return;
      return this.flushBacklog();
    }
    await this.send(text, rows);
  }

  async end(): Promise<void> {
    while (this.backlog.length > 0) await this.flushBacklog();
    if (this.current) this.finishCurrent();
    await this.ending;
    if (this.failed) throw this.failed;
  }

  private async flushBacklog() {
    await this.ending;
    this.ending = null;
    if (this.failed) throw this.failed;
    // Stops if a chunk completes a statement: the rest waits for that one to finish in turn.
    while (this.backlog.length > 0 && !this.ending) {
      const { bytes, rows } = this.backlog.shift()!;
      this.backlogBytes -= bytes.length;
      await this.send(bytes, rows);
    }
  }

  private async send(text: string | Buffer, rows: number) {
    if (text.length === 0) return;
    if (!this.current) {
      this.current = this.client.query(copyFrom(COPY_LEADS));
      // Errors are surfaced by write()/end(); an unlistened 'error' event would crash the process.
      this.current.on("error", () => {});
      this.streams.push(this.current);
    }
    await write(this.current, text);
    this.rows += rows;
    if (this.rows >= ROWS_PER_COPY) this.finishCurrent();
  }

  private finishCurrent() {
    const stream = this.current!;
    this.current = null;
    this.rows = 0;
    this.ended = false;
    stream.end();
    this.ending = finished(stream).then(
      () => {
        this.ended = true;
      },
      (err: Error) => {
        this.failed ??= err;
        this.ended = true;
      },
    );
  }
}

/** Writes respecting backpressure: waits for 'drain' so a fast parser cannot outrun Postgres into RAM. */
async function write(stream: Writable, text: string | Buffer): Promise<void> {
  if (text.length === 0) return;
  if (stream.errored) throw stream.errored;
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off("drain", onDrain).off("error", done).off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(stream.errored ?? new Error("COPY stream closed before it drained"));
    stream.on("drain", onDrain).on("error", done).on("close", onClose);
  });
}

/** Returns false when the connection cannot be trusted afterwards; the caller then discards it. */
async function rollback(client: PoolClient, copies: Writable[], cause: unknown): Promise<boolean> {
  try {
    const reason = cause instanceof Error ? cause : new Error(String(cause));
    // destroy() sends CopyFail, so the server ends each COPY and the connection can run ROLLBACK.
    await Promise.all(copies.filter((c) => !c.closed).map((c) => {
      const closed = new Promise((resolve) => c.once("close", resolve));
      if (!c.destroyed) c.destroy(reason);
      return closed;
    }));
    await client.query("ROLLBACK");
    return true;
  } catch (err) {
    // Closing the connection makes Postgres roll the transaction back on its own.
    log.warn({ err }, "import rollback failed; discarding the connection");
    return false;
  }
}
