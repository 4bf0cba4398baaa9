// The REST API's wire shapes and its OpenAPI 3.1 document, generated from the same zod schemas the routes
// validate with, so the document cannot drift from what the API accepts.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import type { Campaign } from "@prisma/client";
import { z } from "zod";
import { createCampaignFormFieldsSchema } from "../campaigns/create";
import { campaignStatusSchema, createCampaignJsonSchema, LEAD_STATUSES, leadsQuerySchema, leadStatusSchema, outcomeSchema, updateCampaignScheduleSchema } from "../campaigns/schema";
import { importErrorCodes } from "../imports/schema";
import {
  addSuppressionJsonSchema,
  addSuppressionsJsonSchema,
  MAX_NUMBERS_PER_REQUEST,
  optOutJsonSchema,
  suppressionInputSchema,
  suppressionResultSchema,
  suppressionSourceSchema,
  suppressionsQuerySchema,
} from "../suppressions/schema";
import { registerAttemptPaths } from "./openapi-attempts";
import { registerCallingRulesPaths } from "./openapi-calling-rules";
import { registerHousekeepingPaths } from "./openapi-housekeeping";
import { registerWebhookPaths } from "./openapi-webhooks";

// registry.register() needs `.openapi()`, which zod only gives to schemas built after this call; shared
// schemas from lib/ may be built earlier, so each is registered as a fresh copy made with `.meta()`.
extendZodWithOpenApi(z);

const isoDate = z.iso.datetime().meta({ description: "ISO 8601 timestamp (UTC)", example: "2025-01-31T09:30:00.000Z" });
const count = z.number().int().nonnegative();

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: `Machine-readable: unauthorized, rate_limited, not_found, validation_failed, invalid_transition, campaign_finished, campaign_archived, campaign_running, calls_in_progress, unsupported_media_type, too_large, or an import code (${importErrorCodes.join(", ")})` }),
      message: z.string().meta({ description: "Written for a person; safe to show to your users" }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Validation errors by field path, e.g. `leads.3.phone`" }),
      line: z.number().int().optional().meta({ description: "For CSV errors: the line of the file at fault" }),
    }),
  })
  .meta({ description: "Every error has this shape" });

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: campaignStatusSchema,
  defaultCountry: z.string().meta({ description: "Country assumed for phone numbers written without a +country prefix" }),
  totalLeads: count,
  rejectedCount: count.meta({ description: "Rows refused by the import; download them from /rejected" }),
  duplicateCount: count.meta({ description: "Rows dropped because an earlier row had the same phone" }),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  firstDialAt: isoDate.nullable(),
  completedAt: isoDate.nullable(),
  archivedAt: isoDate.nullable().meta({ description: "When the campaign was archived: left out of GET /campaigns unless `archived=true`; null = not archived" }),
  maxAttempts: z.number().int(),
  retryDelaySec: z.number().int(),
  retryOutcomes: z.array(outcomeSchema),
  suppressedCount: count.meta({ description: "Leads on your or the platform's do-not-call list: never called" }),
  timezone: z.string().meta({ description: "IANA zone: for leads whose zone neither the file nor the number tells, and the zone `schedule.startAt`/`endAt` are shown in", example: "America/Chicago" }),
  schedule: z
    .object({
      days: z.array(z.number().int().min(1).max(7)).meta({ description: "ISO weekdays on which leads are called, 1 = Monday … 7 = Sunday" }),
      start: z.string().nullable().meta({ description: "\"HH:mm\" in each lead's local time; null = all day", example: "09:00" }),
      end: z.string().nullable().meta({ description: "\"HH:mm\" (exclusive, \"24:00\" = midnight) in each lead's local time; null = all day", example: "17:00" }),
      startAt: isoDate.nullable().meta({ description: "Scheduled start: nothing is dialed before it" }),
      endAt: isoDate.nullable().meta({ description: "Automatic stop: the campaign is paused at this instant" }),
    })
    .meta({ description: "The calling schedule; the platform's calling hours for each lead's country apply as well, the tighter wins" }),
});
export type CampaignJson = z.infer<typeof campaignSchema>;

export const statusCountsSchema = z.object(Object.fromEntries(LEAD_STATUSES.map((s) => [s, count])) as Record<(typeof LEAD_STATUSES)[number], typeof count>);
export const waitingSchema = z.object({
  insideWindow: count.meta({ description: "Pending leads inside their calling window now" }),
  outsideWindow: count.meta({ description: "Pending leads waiting for their calling window (local hours, schedule days, scheduled start)" }),
  nextOpening: z
    .object({ at: z.string().meta({ description: "ISO 8601" }), zone: z.string(), localTime: z.string().meta({ description: "HH:mm in that zone" }) })
    .nullable()
    .meta({ description: "When the first waiting lead's window opens" }),
  held: count.meta({ description: "Due leads held back (scheduled, with holdReason): `frequencyCapped` + `numberInUse`" }),
  frequencyCapped: count.meta({ description: "Of `held`: leads at one of your frequency caps (calls per number per 24 h or 30 days); each waits until its oldest counted call ages out" }),
  numberInUse: count.meta({ description: "Of `held`: leads whose number another of your campaigns is calling; tried again within a minute" }),
  frequencyCapReleaseAt: isoDate.nullable().meta({ description: "When the first frequency-capped lead becomes due again; null when none is" }),
  scheduledRetries: count.meta({ description: "Retries waiting for their time" }),
  suppressed: count.meta({ description: "Leads on a do-not-call list" }),
});

export const campaignDetailSchema = campaignSchema.extend({
  counts: statusCountsSchema.meta({ description: "Leads per status" }),
  waiting: waitingSchema.meta({ description: "Why leads are not being dialed right now, per reason" }),
});

export const leadSchema = z.object({
  id: z.string().meta({ description: "Opaque; also the pagination cursor" }),
  line: z.number().int().meta({ description: "Line in the uploaded CSV (1 = header); for JSON leads, position in `leads` + 2" }),
  phone: z.string().meta({ description: "E.164", example: "+14155550123" }),
  name: z.string().nullable(),
  timezone: z.string().nullable().meta({ description: "The time zone column of the file (canonical IANA name); null when blank or not a time zone, and then `zoneSource` is PHONE or CAMPAIGN" }),
  timezones: z.array(z.string()).meta({ description: "The IANA zones the lead's calling window is evaluated in (several when its number's area spans zones: the window must be open in all)", example: ["America/Chicago"] }),
  zoneSource: z.enum(["FILE", "PHONE", "CAMPAIGN"]).nullable().meta({ description: "Where `timezones` came from: the file's time zone column, the phone number's area, or the campaign's zone" }),
  suppressedReason: z.string().nullable().meta({ description: "For SUPPRESSED leads: which do-not-call list holds the number, and why" }),
  holdReason: z.string().nullable().meta({ description: "For a SCHEDULED lead held back although due: a frequency cap, or another campaign calling the number; it waits until nextAttemptAt" }),
  variables: z.record(z.string(), z.string()).meta({ description: "The extra columns of the row" }),
  status: leadStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: isoDate.nullable(),
  lastOutcome: outcomeSchema.nullable(),
  lastDurationSec: z.number().int().nullable(),
  updatedAt: isoDate,
});

export const importCountsSchema = z.object({
  imported: count.meta({ description: "Leads created" }),
  rejected: count.meta({ description: "Rows refused (bad phone, a destination this account may not call, variables over the size limit, wrong field count)" }),
  duplicates: count.meta({ description: "Rows dropped as repeats of an earlier phone" }),
  suppressed: count.meta({ description: "Of `imported`: leads on your or the platform's do-not-call list, imported as SUPPRESSED" }),
  ignoredTimeZones: count.meta({ description: "Of `imported`: leads whose time zone value is not an IANA name; their zone came from the phone number, else the campaign (see each lead's zoneSource)" }),
  ignoredTimeZoneSamples: z
    .array(z.object({ line: z.number().int(), value: z.string().meta({ description: "As written, cut to 64 characters" }) }))
    .meta({ description: "The first five of those leads: the line of the file and the value that was ignored" }),
});

export const suppressionSchema = z.object({
  id: z.string().meta({ description: "Opaque; also the pagination cursor" }),
  phone: z.string().meta({ description: "E.164", example: "+14155550123" }),
  reason: z.string().nullable(),
  source: suppressionSourceSchema.meta({ description: "MANUAL (settings page), UPLOAD (a CSV), API (JSON), OPT_OUT (said during a call)" }),
  createdAt: isoDate,
});

export const optOutResultSchema = z.object({
  phone: z.string().meta({ description: "The call's number (E.164), now on your do-not-call list" }),
  added: z.boolean().meta({ description: "false when the number was on the list already" }),
  leadsSuppressed: count.meta({ description: "Other leads with this number, not yet dialed, that will now never be called" }),
});

export function toCampaignJson(c: Campaign): CampaignJson {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    defaultCountry: c.defaultCountry,
    totalLeads: c.totalLeads,
    rejectedCount: c.rejectedCount,
    duplicateCount: c.duplicateCount,
    createdAt: c.createdAt.toISOString(),
    startedAt: c.startedAt?.toISOString() ?? null,
    firstDialAt: c.firstDialAt?.toISOString() ?? null,
    completedAt: c.completedAt?.toISOString() ?? null,
    archivedAt: c.archivedAt?.toISOString() ?? null,
    maxAttempts: c.maxAttempts,
    retryDelaySec: c.retryDelaySec,
    retryOutcomes: c.retryOutcomes,
    suppressedCount: c.suppressedCount,
    timezone: c.timezone,
    schedule: { days: c.scheduleDays, start: c.scheduleStart, end: c.scheduleEnd, startAt: c.startAt?.toISOString() ?? null, endAt: c.endAt?.toISOString() ?? null },
  };
}

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

/** The document served at /api/v1/openapi.json and rendered at /api-docs; built once per process. */
export function openApiDocument() {
  cached ??= new OpenApiGeneratorV31(buildRegistry().definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "fairdial API",
      version: "1.0.0",
      description: "Create outbound-call campaigns from a CSV or JSON, control them, and read their results.",
    },
    security: [{ bearerAuth: [] }],
  });
  return cached;
}

function buildRegistry() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "An API key created under Settings → API keys, sent as `Authorization: Bearer fdk_live_…`. Each key has a per-minute request budget, reported on every answer in `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.",
  });
  const error = registry.register("Error", errorSchema.meta({}));
  const campaign = registry.register("Campaign", campaignSchema.meta({}));
  const campaignDetail = registry.register("CampaignDetail", campaignDetailSchema.meta({}));
  const lead = registry.register("Lead", leadSchema.meta({}));
  const importCounts = registry.register("ImportCounts", importCountsSchema.meta({}));
  const updateSchedule = registry.register(
    "UpdateCampaignSchedule",
    updateCampaignScheduleSchema.meta({ description: "`startAt` and `endAt` are ISO 8601 instants with an offset or Z; `start` and `end` are \"HH:mm\" in each lead's local time" }),
  );
  const createJson = registry.register("CreateCampaignJson", createCampaignJsonSchema.meta({ description: "Leads inline; each variable becomes a column of the campaign" }));
  const createForm = registry.register(
    "CreateCampaignForm",
    z.object({
      ...createCampaignFormFieldsSchema.shape,
      timezone: createCampaignFormFieldsSchema.shape.timezone.meta({ description: "The campaign's IANA time zone (default UTC): for leads whose zone neither the file nor the number tells", example: "America/Chicago" }),
      scheduleDays: createCampaignFormFieldsSchema.shape.scheduleDays.meta({ description: "Calling days as ISO weekdays separated by commas, 1 = Monday … 7 = Sunday (default every day)", example: "1,2,3,4,5" }),
      scheduleStart: createCampaignFormFieldsSchema.shape.scheduleStart.meta({ description: "Daily start, \"HH:mm\" in each lead's local time; with scheduleEnd, or neither for all day", example: "09:00" }),
      scheduleEnd: createCampaignFormFieldsSchema.shape.scheduleEnd.meta({ description: "Daily end (exclusive), \"HH:mm\" in each lead's local time; \"24:00\" = midnight", example: "17:00" }),
      startAt: createCampaignFormFieldsSchema.shape.startAt.meta({ description: "Scheduled start, \"YYYY-MM-DDTHH:mm\" in the campaign's time zone (or ISO 8601 with an offset)", example: "2025-12-03T09:00" }),
      endAt: createCampaignFormFieldsSchema.shape.endAt.meta({ description: "Automatic stop (the campaign is paused then), \"YYYY-MM-DDTHH:mm\" in the campaign's time zone (or ISO 8601 with an offset)" }),
      file: z.string().meta({ format: "binary", contentMediaType: "text/csv", description: "The CSV (UTF-8, `,` `;` or tab delimited, header row first). Send it as the last part of the form." }),
    }).meta({ description: "Column names are guessed from the header row unless given" }),
  );

  const json = <T extends z.ZodType>(schema: T, description: string): ResponseConfig => ({ description, content: { "application/json": { schema } } });
  const fail = (description: string) => json(error, description);
  const csv = (description: string): ResponseConfig => ({
    description,
    headers: { "Content-Disposition": { description: "attachment; filename=…", schema: { type: "string" } } },
    content: { "text/csv": { schema: z.string() } },
  });
  const unauthorized = fail("Missing, invalid or revoked API key");
  const quotaHeaders = {
    "RateLimit-Limit": { description: "Requests allowed per key per minute", schema: { type: "integer" as const } },
    "RateLimit-Remaining": { description: "Requests left in the current minute", schema: { type: "integer" as const } },
    "RateLimit-Reset": { description: "Seconds until the budget is full again", schema: { type: "integer" as const } },
  };
  // Every keyed answer carries the RateLimit-* headers; past the budget it is this 429 (code rate_limited).
  const authenticated = {
    401: unauthorized,
    429: {
      ...fail("The key used its requests for this minute (code rate_limited); wait Retry-After seconds"),
      headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" as const } }, ...quotaHeaders },
    },
  };
  const notFound = fail("No campaign with this id in your account");
  const id = z.object({ id: z.string().meta({ description: "Campaign id" }) });
  const tags = ["Campaigns"];

  registry.registerPath({
    method: "post",
    path: "/api/v1/campaigns",
    operationId: "createCampaign",
    summary: "Create a campaign from a CSV upload or JSON leads",
    description:
      "The campaign is created as a draft with all its leads, or not at all. Rows with a bad phone number or time zone are refused one by one (see /rejected); a file that cannot be read at all fails the request.",
    tags,
    request: {
      body: {
        required: true,
        content: { "multipart/form-data": { schema: createForm }, "application/json": { schema: createJson } },
      },
    },
    responses: {
      201: json(z.object({ campaign, import: importCounts }), "Created"),
      400: fail("A multipart body that cannot be read (malformed_upload, upload_incomplete)"),
      ...authenticated,
      413: fail("The file is larger than IMPORT_MAX_BYTES, or the JSON body larger than API_JSON_MAX_BYTES (code too_large)"),
      415: fail("Neither multipart/form-data nor application/json"),
      422: fail("Invalid fields (validation_failed, with `fields`), no `file` part (missing_file), or a CSV that cannot be imported (an import code, with `line`)"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns",
    operationId: "listCampaigns",
    summary: "List campaigns, newest first (at most 200)",
    tags,
    request: { query: z.object({ archived: z.enum(["true", "false"]).optional().meta({ description: "`true`: only the archived campaigns; `false` (default): only the others" }) }) },
    responses: { 200: json(z.object({ campaigns: z.array(campaign) }), "The campaigns"), ...authenticated, 422: fail("Invalid query parameters") },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}",
    operationId: "getCampaign",
    summary: "Get a campaign with its lead counts per status",
    tags,
    request: { params: id },
    responses: { 200: json(z.object({ campaign: campaignDetail }), "The campaign"), ...authenticated, 404: notFound },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/campaigns/{id}",
    operationId: "updateCampaignSchedule",
    summary: "Change a campaign's calling schedule and time zone",
    description:
      "The schedule replaces the campaign's (send all five fields; null for none); the time zone stays unless given. Allowed in every status but COMPLETED and CANCELLED, and takes effect within seconds: a running campaign whose window the change opens dials at once. Leads whose zone comes from the campaign (zoneSource CAMPAIGN) and are still to be called move to a new zone. Moving `endAt` past now lets a campaign paused by its automatic stop be resumed.",
    tags,
    request: { params: id, body: { required: true, content: { "application/json": { schema: updateSchedule } } } },
    responses: {
      200: json(z.object({ campaign }), "The campaign with its new schedule"),
      ...authenticated,
      404: notFound,
      409: fail("The campaign is completed or cancelled (code campaign_finished)"),
      413: fail("The body is larger than API_JSON_MAX_BYTES (code too_large)"),
      422: fail("Invalid fields (validation_failed, with `fields` such as `schedule.end` or `timezone`)"),
    },
  });
  const actions = {
    start: "Start a draft campaign: its leads become dialable",
    pause: "Pause a running campaign: no new calls start, calls in progress finish",
    resume: "Resume a paused campaign",
    cancel: "Cancel a campaign: leads not yet dialed are cancelled, calls in progress finish",
  };
  for (const [action, summary] of Object.entries(actions)) {
    registry.registerPath({
      method: "post",
      path: `/api/v1/campaigns/{id}/${action}`,
      operationId: `${action}Campaign`,
      summary,
      tags,
      request: { params: id },
      responses: {
        200: json(z.object({ campaign }), "The campaign in its new status"),
        ...authenticated,
        404: notFound,
        409: fail("Not allowed in the campaign's current status (code invalid_transition), e.g. \"Cannot start a cancelled campaign.\"; or the campaign is archived (code campaign_archived: start and resume wait for unarchive)"),
      },
    });
  }
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/leads",
    operationId: "listLeads",
    summary: "List a campaign's leads, in file order, one page at a time",
    description: "Pass the `nextCursor` of a page as `cursor` to get the next one; `nextCursor` is null on the last page.",
    tags,
    request: {
      params: id,
      query: z.object({
        status: leadsQuerySchema.shape.status.meta({ description: "Only leads in this status" }),
        cursor: leadsQuerySchema.shape.cursor.meta({ description: "The `nextCursor` of the previous page" }),
        limit: leadsQuerySchema.shape.limit.meta({ description: "Page size" }),
      }),
    },
    responses: {
      200: json(z.object({ leads: z.array(lead), nextCursor: z.string().nullable() }), "A page of leads"),
      ...authenticated,
      404: notFound,
      422: fail("Invalid query parameters"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/export",
    operationId: "exportResults",
    summary: "Download the results as CSV",
    description:
      "One row per lead with its status, attempts and last outcome; its calls (first_dialed_at, last_dialed_at, answered_at of the last answered call, ended_at and last_provider_call_id of the last call, total_attempts: calls dialed); then its variables. Times are ISO 8601 in UTC. Cells a spreadsheet would run as a formula are prefixed with `'`. For one row per call, see /attempts/export.",
    tags: ["Results"],
    request: { params: id },
    responses: { 200: csv("The results CSV, streamed"), ...authenticated, 404: notFound },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/rejected",
    operationId: "downloadRejectedRows",
    summary: "Download the rows the import refused, as CSV",
    description: "Columns line, reason, raw: fix the rows and upload them as a new campaign.",
    tags: ["Results"],
    request: { params: id },
    responses: { 200: csv("The rejected rows CSV, streamed"), ...authenticated, 404: notFound },
  });
  registerAttemptPaths(registry, { json, fail, authenticated }, leadSchema);
  registerHousekeepingPaths(registry, { json, fail, authenticated }, campaign);
  registerSuppressionPaths(registry, { json, fail, authenticated });
  registerCallingRulesPaths(registry, { json, fail, authenticated });
  registerWebhookPaths(registry, { json, fail, authenticated });
  registry.registerPath({
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["Meta"],
    security: [],
    responses: { 200: { description: "OpenAPI 3.1 document", content: { "application/json": { schema: z.object({ openapi: z.string() }).loose() } } } },
  });
  return registry;
}

type PathHelpers = {
  json: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  fail: (description: string) => ResponseConfig;
  authenticated: Record<401 | 429, ResponseConfig>;
};

function registerSuppressionPaths(registry: OpenAPIRegistry, { json, fail, authenticated }: PathHelpers) {
  const tags = ["Do-not-call list"];
  const suppression = registry.register("Suppression", suppressionSchema.meta({}));
  const result = registry.register("SuppressionResult", suppressionResultSchema.meta({}));
  const one = registry.register("AddSuppression", addSuppressionJsonSchema.meta({ description: "One number" }));
  const many = registry.register(
    "AddSuppressions",
    z
      .object({
        numbers: z
          .array(z.union([suppressionInputSchema, z.string().max(64)]))
          .min(1)
          .max(MAX_NUMBERS_PER_REQUEST)
          .meta({ description: "Numbers, each `{phone, reason?}` or a bare string" }),
        defaultCountry: addSuppressionsJsonSchema.shape.defaultCountry,
      })
      .meta({ description: `Up to ${MAX_NUMBERS_PER_REQUEST.toLocaleString("en-US")} numbers` }),
  );
  const notListed = fail("The number is not on your do-not-call list");

  registry.registerPath({
    method: "get",
    path: "/api/v1/suppressions",
    operationId: "listSuppressions",
    summary: "List your do-not-call list, newest first, one page at a time",
    description: "Pass the `nextCursor` of a page as `cursor` to get the next one; `nextCursor` is null on the last page. The platform's own list is not included.",
    tags,
    request: {
      query: z.object({
        q: suppressionsQuerySchema.shape.q.meta({ description: "Only numbers starting with these digits, e.g. `+1212`" }),
        cursor: suppressionsQuerySchema.shape.cursor.meta({ description: "The `nextCursor` of the previous page" }),
        limit: suppressionsQuerySchema.shape.limit.meta({ description: "Page size" }),
      }),
    },
    responses: {
      200: json(z.object({ suppressions: z.array(suppression), nextCursor: z.string().nullable() }), "A page of the list"),
      ...authenticated,
      422: fail("Invalid query parameters"),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/suppressions",
    operationId: "addSuppressions",
    summary: "Add numbers to your do-not-call list",
    description:
      "JSON (one number, or `numbers`), or a CSV file as the raw body (`Content-Type: text/csv`, at most 5 MB and 200,000 rows; a `phone` or `number` column and an optional `reason`, or one column of numbers without a header; `?defaultCountry=` for numbers without +country code). Numbers are stored in E.164; invalid ones are reported, the others added. Leads with a listed number that are not dialed yet become SUPPRESSED at once; calls already queued are dropped before they are dialed. A CSV is added whole or not at all.",
    tags,
    request: {
      query: z.object({ defaultCountry: addSuppressionJsonSchema.shape.defaultCountry.meta({ description: "For a CSV body: the country assumed for numbers without +country code (default US)" }) }),
      body: {
        required: true,
        content: {
          "application/json": { schema: z.union([one, many]) },
          "text/csv": { schema: z.string().meta({ description: "The CSV file itself, e.g. `phone,reason` then `+14155550123,asked by email`" }) },
        },
      },
    },
    responses: {
      200: json(result, "What was added, what was listed already, what was refused"),
      ...authenticated,
      413: fail("A CSV over 5 MB, or a JSON body over API_JSON_MAX_BYTES (code too_large)"),
      415: fail("Neither application/json nor text/csv"),
      422: fail("Invalid fields (validation_failed, with `fields`), or a CSV that cannot be read (an import code such as too_many_rows or missing_phone_column, with `line`)"),
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/suppressions/{phone}",
    operationId: "removeSuppression",
    summary: "Take a number off your do-not-call list",
    description: "Leads it already suppressed stay SUPPRESSED; only leads imported from now on can be called again.",
    tags,
    request: { params: z.object({ phone: z.string().meta({ description: "The number in E.164, URL-encoded (`%2B14155550123`)" }) }) },
    responses: { 204: { description: "Removed" }, ...authenticated, 404: notListed },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/calls/{attemptId}/opt-out",
    operationId: "optOutFromCall",
    summary: "Record that the called person asked not to be called again",
    description:
      "For the voice agent, during or after the call: the call's number goes on your do-not-call list (source OPT_OUT), and your other leads with this number that are not dialed yet become SUPPRESSED. Calling it twice is harmless.",
    tags,
    request: {
      params: z.object({ attemptId: z.string().meta({ description: "The call attempt's id: the `attemptId` query parameter of the request to your TwiML URL" }) }),
      body: { required: false, content: { "application/json": { schema: optOutJsonSchema.meta({}) } } },
    },
    responses: {
      200: json(optOutResultSchema, "The number is on the list"),
      ...authenticated,
      404: fail("No call with this id in your account"),
      422: fail("Invalid fields"),
    },
  });
}
