// The REST API's wire shapes and its OpenAPI 3.1 document, generated from the same zod schemas the routes
// validate with, so the document cannot drift from what the API accepts.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import type { Campaign } from "@prisma/client";
import { z } from "zod";
import { createCampaignFormSchema } from "../campaigns/create";
import { campaignStatusSchema, createCampaignJsonSchema, LEAD_STATUSES, leadsQuerySchema, leadStatusSchema, outcomeSchema } from "../campaigns/schema";
import { importErrorCodes } from "../imports/schema";

// registry.register() needs `.openapi()`, which zod only gives to schemas built after this call; shared
// schemas from lib/ may be built earlier, so each is registered as a fresh copy made with `.meta()`.
extendZodWithOpenApi(z);

const isoDate = z.iso.datetime().meta({ description: "ISO 8601 timestamp (UTC)", example: "2025-01-31T09:30:00.000Z" });
const count = z.number().int().nonnegative();

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: `Machine-readable: unauthorized, rate_limited, not_found, validation_failed, invalid_transition, unsupported_media_type, too_large, or an import code (${importErrorCodes.join(", ")})` }),
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
  maxAttempts: z.number().int(),
  retryDelaySec: z.number().int(),
  retryOutcomes: z.array(outcomeSchema),
});
export type CampaignJson = z.infer<typeof campaignSchema>;

export const statusCountsSchema = z.object(Object.fromEntries(LEAD_STATUSES.map((s) => [s, count])) as Record<(typeof LEAD_STATUSES)[number], typeof count>);
export const campaignDetailSchema = campaignSchema.extend({ counts: statusCountsSchema.meta({ description: "Leads per status" }) });

export const leadSchema = z.object({
  id: z.string().meta({ description: "Opaque; also the pagination cursor" }),
  line: z.number().int().meta({ description: "Line in the uploaded CSV (1 = header); for JSON leads, position in `leads` + 2" }),
  phone: z.string().meta({ description: "E.164", example: "+14155550123" }),
  name: z.string().nullable(),
  timezone: z.string().nullable().meta({ description: "IANA time zone" }),
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
  rejected: count.meta({ description: "Rows refused (bad phone, unknown time zone, wrong field count)" }),
  duplicates: count.meta({ description: "Rows dropped as repeats of an earlier phone" }),
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
    maxAttempts: c.maxAttempts,
    retryDelaySec: c.retryDelaySec,
    retryOutcomes: c.retryOutcomes,
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
  const createJson = registry.register("CreateCampaignJson", createCampaignJsonSchema.meta({ description: "Leads inline; each variable becomes a column of the campaign" }));
  const createForm = registry.register(
    "CreateCampaignForm",
    z.object({
      ...createCampaignFormSchema.shape,
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
    responses: { 200: json(z.object({ campaigns: z.array(campaign) }), "The campaigns"), ...authenticated },
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
        409: fail("Not allowed in the campaign's current status (code invalid_transition), e.g. \"Cannot start a cancelled campaign.\""),
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
    description: "One row per lead with its status, attempts and last outcome, then its variables. Cells a spreadsheet would run as a formula are prefixed with `'`.",
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
