// Creating a campaign through the REST API: a multipart CSV upload streamed straight into importCampaign, or
// JSON leads re-written as a CSV stream, so both paths share one validation, normalisation and transaction.
import { z } from "zod";
import { FieldError } from "../errors";
import { formatBytes } from "../imports/byte-guard";
import { csvRow } from "../imports/csv-safe";
import { importCampaign } from "../imports/import";
import { defaultLimits, type ImportLimits } from "../imports/parse";
import { countryCodeSchema, ImportError, importOptionsSchema, type ImportResult } from "../imports/schema";
import { getCampaign } from "./data";
import { addScheduleIssues, readScheduleFields, scheduleFormFieldsSchema } from "./schedule-form";
import { createCampaignJsonSchema, type CreateCampaignJson } from "./schema";
import { finishUpload, readMultipartUpload, type MultipartUpload } from "./upload";

/** What the route hands over: the body as it streams in, never buffered whole by the caller. */
export interface CreateCampaignInput {
  tenantId: string;
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Type header; multipart needs its boundary. */
  contentType: string;
  /** The Content-Length header when the client sent one: a body announced too large is refused unread. */
  contentLength?: number;
  /** Defaults come from IMPORT_MAX_BYTES / IMPORT_MAX_ROWS. */
  limits?: Partial<ImportLimits>;
  /** The request's signal: a client that goes away rolls the import back. */
  signal?: AbortSignal;
}

const columnName = z.string().trim().min(1, "Choose a column").max(200);

/** The text fields of the multipart form; the CSV itself is the `file` part, sent after them (see upload.ts). */
export const createCampaignFormFieldsSchema = z.object({
  name: importOptionsSchema.shape.name,
  defaultCountry: countryCodeSchema.default("US"),
  phoneColumn: columnName.optional(),
  nameColumn: columnName.optional(),
  timezoneColumn: columnName.optional(),
  ...scheduleFormFieldsSchema.shape,
});

/**
 * The form's fields as import options: the column mapping, the campaign's zone and its schedule (local start and
 * stop times read in that zone). Every field's errors at once, under the form's own field names.
 */
export const createCampaignFormSchema = createCampaignFormFieldsSchema
  .superRefine((f, ctx) => {
    if (f.phoneColumn === undefined && (f.nameColumn !== undefined || f.timezoneColumn !== undefined)) {
      ctx.addIssue({ code: "custom", message: "Name the phone column too when you name other columns", path: ["phoneColumn"] });
    }
    addScheduleIssues(f, ctx);
  })
  .transform(({ name, defaultCountry, phoneColumn, nameColumn, timezoneColumn, ...schedule }) => ({
    name,
    defaultCountry,
    mapping: phoneColumn === undefined ? undefined : { phoneColumn, nameColumn, timezoneColumn },
    ...readScheduleFields(schedule).value,
  }));

/** The upload form's text fields (empty = not given) as import options; a ZodError names the fields at fault. */
export function campaignFormOptions(fields: Record<string, string>) {
  return createCampaignFormSchema.parse(nonEmpty(fields));
}

// Room for the multipart framing and text fields on top of the file itself.
const FORM_OVERHEAD_BYTES = 256 * 1024;
const JSON_COLUMNS = ["phone", "name", "timezone"];

export async function createCampaignFromForm(input: CreateCampaignInput) {
  const limits = defaultLimits(input.limits);
  refuseAnnouncedSize(input.contentLength, limits.maxBytes + FORM_OVERHEAD_BYTES, tooLarge("file", limits.maxBytes, "split it into smaller files"));
  let upload: MultipartUpload | undefined;
  try {
    upload = await readMultipartUpload(input.body, input.contentType);
    // Checked before the file streams in, so a missing name costs no import.
    const options = campaignFormOptions(upload.fields);
    const result = await importCampaign({ tenantId: input.tenantId, options, source: upload.file, limits, signal: input.signal });
    return await created(input.tenantId, result);
  } catch (err) {
    await finishUpload(upload, err, input.signal, limits.maxBytes + FORM_OVERHEAD_BYTES);
    throw err;
  }
}

export async function createCampaignFromJson(input: CreateCampaignInput) {
  const limits = defaultLimits(input.limits);
  refuseAnnouncedSize(input.contentLength, limits.maxBytes, tooLarge("request body", limits.maxBytes, "send the leads in several campaigns or upload a CSV"));
  const { leads, ...options } = createCampaignJsonSchema.parse(await readJson(requireBody(input.body), limits.maxBytes));
  const mapping = { phoneColumn: "phone", nameColumn: "name", timezoneColumn: "timezone" };
  const result = await importCampaign({ tenantId: input.tenantId, options: { ...options, mapping }, source: leadsCsv(leads, limits.maxColumns), limits, signal: input.signal });
  return created(input.tenantId, result);
}

/** JSON leads as CSV text: phone, name, timezone, then one column per variable name used by any lead. */
export async function* leadsCsv(leads: CreateCampaignJson["leads"], maxColumns = Number.POSITIVE_INFINITY): AsyncGenerator<string> {
  const variables = variableNames(leads, maxColumns);
  // Header cells are always quoted: the importer picks the delimiter by counting it outside quotes in the
  // header, and a variable named "a;b;c" must not make it choose semicolons.
  let text = `${[...JSON_COLUMNS, ...variables].map((h) => `"${h.replaceAll('"', '""')}"`).join(",")}\r\n`;
  for (const lead of leads) {
    const vars = lead.variables ?? {};
    text += `${csvRow([lead.phone, lead.name ?? "", lead.timezone ?? "", ...variables.map((k) => cell(vars[k]))])}\r\n`;
    if (text.length >= 64 * 1024) {
      yield text;
      text = "";
    }
  }
  yield text;
}

async function created(tenantId: string, result: ImportResult) {
  const { campaignId, ...counts } = result;
  return { campaign: await getCampaign(tenantId, campaignId), import: counts };
}

function variableNames(leads: CreateCampaignJson["leads"], maxColumns: number): string[] {
  const names = new Set<string>();
  leads.forEach((lead, i) => {
    for (const key of Object.keys(lead.variables ?? {})) {
      if (key === "" || key.trim() !== key || JSON_COLUMNS.includes(key)) {
        throw new FieldError({ [`leads.${i}.variables.${key}`]: ['A variable name must not be empty, start or end with a space, or be "phone", "name" or "timezone"'] });
      }
      names.add(key);
    }
  });
  // Worded for JSON: the importer would speak of the header row of a file the client never sent.
  const max = maxColumns - JSON_COLUMNS.length;
  if (names.size > max) {
    throw new ImportError("too_many_columns", `the leads use ${names.size} different variable names, more than the ${max} a campaign may have; drop the ones you do not need`);
  }
  return [...names];
}

/** An empty form field means "not given", as it does in an HTML form. */
function nonEmpty(fields: Record<string, string>) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ""));
}

function cell(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

function refuseAnnouncedSize(contentLength: number | undefined, allowed: number, error: ImportError) {
  if (contentLength !== undefined && contentLength > allowed) throw error;
}

/** The importer's own wording and code, so a client handles one 413 whichever check caught it. */
function tooLarge(what: string, maxBytes: number, advice: string) {
  return new ImportError("too_large", `${what} is larger than ${formatBytes(maxBytes)}; ${advice}`);
}

function malformed(message: string) {
  return new FieldError({ _: [message] }, message);
}

function requireBody(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> {
  if (!body) throw malformed("The request has no body.");
  return body;
}

async function readJson(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) throw tooLarge("request body", maxBytes, "send the leads in several campaigns or upload a CSV");
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw malformed("The body is not valid JSON.");
  }
}
