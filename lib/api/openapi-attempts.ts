// The OpenAPI paths of a campaign's call attempts: the list, one lead with its attempts, and the attempts CSV.
// buildRegistry() in lib/api/openapi.ts registers them with its response helpers and its Lead schema.
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { outcomeSchema } from "../campaigns/schema";
import { attemptOutcomeFilterSchema, MAX_ATTEMPTS_PAGE } from "../attempts/schema";

type PathHelpers = {
  json: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  fail: (description: string) => ResponseConfig;
  authenticated: Record<401 | 429, ResponseConfig>;
};

const isoDate = z.iso.datetime().meta({ description: "ISO 8601 timestamp (UTC)", example: "2025-01-31T09:30:00.000Z" });

/** One attempt as the routes send it (lib/attempts/attempt-json.ts), checked against this schema in lib/attempts/attempts.int.test.ts. */
export const attemptSchema = z.object({
  id: z.string().meta({ description: "The attempt's id: the `attemptId` your TwiML URL is called with" }),
  leadId: z.string().meta({ description: "The lead's id, as in /leads" }),
  phone: z.string().meta({ description: "The lead's number (E.164)", example: "+14155550123" }),
  attemptNumber: z.number().int().min(1).meta({ description: "1 for the first call to the lead, 2 for the first retry, …" }),
  queuedAt: isoDate.meta({ description: "When the scheduler picked the lead for this call" }),
  dialedAt: isoDate.nullable().meta({ description: "When the call request went to the provider; null while queued or when it never did" }),
  answeredAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  durationSec: z.number().int().nonnegative().nullable().meta({ description: "Seconds from answer to hang-up; null when not answered or not ended" }),
  outcome: outcomeSchema.nullable().meta({ description: "null while the call is queued, in progress or in doubt" }),
  outcomeAssumed: z.boolean().meta({ description: "The outcome was assumed by fairdial (the provider never reported one in time), not reported; a late report replaces it" }),
  error: z.string().nullable().meta({ description: "Why the call failed, as the provider or fairdial said it" }),
  providerCallId: z.string().nullable().meta({ description: "The telephony provider's id of the call (Twilio's CallSid)" }),
  inDoubt: z.boolean().meta({ description: "The call request's fate is unknown (timeout, connection reset): fairdial waits for the provider to say whether it placed the call" }),
});

export function registerAttemptPaths(registry: OpenAPIRegistry, { json, fail, authenticated }: PathHelpers, leadSchema: z.ZodObject) {
  const attempt = registry.register("Attempt", attemptSchema.meta({}));
  const leadWithAttempts = registry.register("LeadWithAttempts", leadSchema.extend({ attempts: z.array(attempt).meta({ description: "All the lead's attempts, in attempt order" }) }).meta({}));
  const id = z.object({ id: z.string().meta({ description: "Campaign id" }) });
  const filters = {
    outcome: attemptOutcomeFilterSchema.optional().meta({ description: "Only attempts with this outcome; `pending` for those without one yet (queued, in progress, in doubt)" }),
    from: z.iso.datetime({ offset: true }).optional().meta({ description: "Only attempts dialed at or after this instant (ISO 8601 with Z or an offset); leaves out attempts never dialed" }),
    to: z.iso.datetime({ offset: true }).optional().meta({ description: "Only attempts dialed before this instant (exclusive); must be later than `from`" }),
  };
  const noCampaign = fail("No campaign with this id in your account");
  const badQuery = fail("Invalid query parameters (validation_failed, with `fields`): an unknown outcome, a time that is not ISO 8601, `to` not after `from`, a cursor no page handed out, a limit outside 1–500");

  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/attempts",
    operationId: "listAttempts",
    summary: "List a campaign's call attempts, one page at a time",
    description:
      "Attempts come by lead (in file order), then by attempt number. Pass the `nextCursor` of a page as `cursor` to get the next one, with the same filters; `nextCursor` is null on the last page. A cursor is opaque and does not expire: it names the last attempt of its page, not an offset, so paging never repeats an attempt or skips one that existed when it began, while calls go on. A retry made meanwhile for a lead the pages have passed is not on a later page: to follow calls as they happen, ask again with `from` set to the last `dialedAt` you saw.",
    tags: ["Results"],
    request: {
      params: id,
      query: z.object({
        ...filters,
        cursor: z.string().optional().meta({ description: "The `nextCursor` of the previous page" }),
        limit: z.number().int().min(1).max(MAX_ATTEMPTS_PAGE).default(100).optional().meta({ description: "Page size" }),
      }),
    },
    responses: {
      200: json(z.object({ attempts: z.array(attempt), nextCursor: z.string().nullable().meta({ description: "Opaque; null on the last page" }) }), "A page of attempts"),
      ...authenticated,
      404: noCampaign,
      422: badQuery,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/leads/{leadId}",
    operationId: "getLead",
    summary: "Get one lead of a campaign with all its call attempts",
    tags: ["Campaigns"],
    request: { params: id.extend({ leadId: z.string().meta({ description: "The lead's `id`, as in /leads" }) }) },
    responses: {
      200: json(z.object({ lead: leadWithAttempts }), "The lead and its attempts"),
      ...authenticated,
      404: fail("No campaign with this id in your account, or no lead with this id in the campaign"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/campaigns/{id}/attempts/export",
    operationId: "exportAttempts",
    summary: "Download the call attempts as CSV, one row per attempt",
    description:
      "Columns line, phone, lead_id, attempt_id, attempt_number, queued_at, dialed_at, answered_at, ended_at, duration_sec, outcome, outcome_assumed, in_doubt, provider_call_id, error; in the order of the list, with its filters. Streamed, however many attempts the campaign has. Cells a spreadsheet would run as a formula are prefixed with `'`.",
    tags: ["Results"],
    request: { params: id, query: z.object(filters) },
    responses: {
      200: {
        description: "The attempts CSV, streamed",
        headers: { "Content-Disposition": { description: "attachment; filename=…", schema: { type: "string" } } },
        content: { "text/csv": { schema: z.string() } },
      },
      ...authenticated,
      404: noCampaign,
      422: fail("Invalid query parameters (validation_failed, with `fields`)"),
    },
  });
}
