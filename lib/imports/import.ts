// A campaign from an uploaded CSV, all or nothing: the campaign row, its leads and its rejected rows are
// written in one transaction on one connection, the leads streamed with COPY as the upload is parsed.
// Any failure — a bad file found at row 900,000, a limit, Postgres, the client going away — rolls back.
import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { CountryCode } from "libphonenumber-js/max";
import { log } from "../log";
import { pgPool } from "../pg";
import { copyJson, copyNullable, copyText } from "./copy-text";
import { parseLeads, type ImportLimits, type ImportSource } from "./parse";
import { RejectSpool } from "./reject-spool";
import { importOptionsSchema, type ImportResult } from "./schema";
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
  /**
   * TEST HOOK, never set outside tests: throws once this many data rows have been parsed and streamed to
   * Postgres (checked per batch), to prove that a failure mid-import leaves no campaign, lead or rejected row.
   */
  failAfterRows?: number;
}

const COPY_LEADS = `COPY "Lead" ("tenantId", "campaignId", line, phone, name, timezone, variables) FROM STDIN`;
const COPY_REJECTED = `COPY "RejectedRow" ("campaignId", line, reason, raw) FROM STDIN`;

export async function importCampaign(input: ImportCampaignInput): Promise<ImportResult> {
  const options = importOptionsSchema.parse(input.options);
  const { tenantId } = input;
  const campaignId = newCampaignId();
  const started = performance.now();
  const client = await pgPool().connect();
  const spool = new RejectSpool();
  let copy: Writable | null = null;
  let destroyClient = false;
  const totals = { imported: 0, rejected: 0, duplicates: 0 };
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO "Campaign" (id, "tenantId", name, "defaultCountry", status) VALUES ($1, $2, $3, $4, 'DRAFT')`, [
      campaignId,
      tenantId,
      options.name,
      options.defaultCountry,
    ]);
    const leads = (copy = client.query(copyFrom(COPY_LEADS)));
    // Errors are surfaced by write()/finished(); an unlistened 'error' event would crash the process.
    leads.on("error", () => {});
    const leadPrefix = `${copyText(tenantId)}\t${campaignId}\t`;
    const parsed = parseLeads(input.source, {
      defaultCountry: options.defaultCountry as CountryCode,
      mapping: options.mapping,
      limits: input.limits,
    });
    for await (const batch of parsed) {
      input.signal?.throwIfAborted();
      // One write per batch: a string per row would cost a COPY message and a drain check each.
      let text = "";
      for (const lead of batch.leads) {
        text += `${leadPrefix}${lead.line}\t${lead.phone}\t${copyNullable(lead.name)}\t${copyNullable(lead.timezone)}\t${copyJson(lead.variables)}\n`;
      }
      let rejectedText = "";
      for (const row of batch.rejected) rejectedText += `${campaignId}\t${row.line}\t${copyText(row.reason)}\t${copyText(row.raw)}\n`;
      await write(leads, text);
      await spool.append(rejectedText);
      totals.imported += batch.leads.length;
      totals.rejected += batch.rejected.length;
      totals.duplicates += batch.duplicates;
      input.onProgress?.({ bytes: batch.bytes, rows: batch.rows, ...totals });
      if (input.failAfterRows !== undefined && batch.rows >= input.failAfterRows) {
        throw new Error(`failAfterRows test hook: failing the import after ${batch.rows} rows`);
      }
    }
    leads.end();
    await finished(leads);
    copy = null;
    if (!spool.empty) {
      const rejected = (copy = client.query(copyFrom(COPY_REJECTED)));
      rejected.on("error", () => {});
      await pipeline(await spool.read(), rejected);
      copy = null;
    }
    await client.query(`UPDATE "Campaign" SET "totalLeads" = $2, "rejectedCount" = $3, "duplicateCount" = $4 WHERE id = $1`, [
      campaignId,
      totals.imported,
      totals.rejected,
      totals.duplicates,
    ]);
    await client.query("COMMIT");
    log.info({ tenantId, campaignId, ...totals, ms: Math.round(performance.now() - started) }, "campaign imported");
    return { campaignId, ...totals };
  } catch (err) {
    destroyClient = !(await rollback(client, copy, err));
    throw err;
  } finally {
    client.release(destroyClient);
    await spool.dispose();
  }
}

/** Prisma's cuid() is generated client-side, so raw SQL has to bring its own id; this one is as unique. */
export function newCampaignId(): string {
  return `c${randomUUID().replaceAll("-", "")}`;
}

/** Writes respecting backpressure: waits for 'drain' so a fast parser cannot outrun Postgres into RAM. */
async function write(stream: Writable, text: string): Promise<void> {
  if (text === "") return;
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
async function rollback(client: PoolClient, copy: Writable | null, cause: unknown): Promise<boolean> {
  try {
    if (copy && !copy.closed) {
      // destroy() sends CopyFail, so the server ends the COPY and the connection can run ROLLBACK.
      const closed = new Promise((resolve) => copy.once("close", resolve));
      if (!copy.destroyed) copy.destroy(cause instanceof Error ? cause : new Error(String(cause)));
      await closed;
    }
    await client.query("ROLLBACK");
    return true;
  } catch (err) {
    // Closing the connection makes Postgres roll the transaction back on its own.
    log.warn({ err }, "import rollback failed; discarding the connection");
    return false;
  }
}
