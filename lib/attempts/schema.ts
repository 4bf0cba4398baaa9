import { z } from "zod";
import { OUTCOMES } from "../campaigns/schema";
import { decodeAttemptCursor } from "./cursor";

// Browser-safe shapes of call attempts, shared by the lead page, the REST API (and its OpenAPI document) and the export.

/** An outcome, or `pending` for attempts still without one (queued, dialing, in doubt). */
export const ATTEMPT_OUTCOME_FILTERS = [...OUTCOMES, "pending"] as const;
export const attemptOutcomeFilterSchema = z.enum(ATTEMPT_OUTCOME_FILTERS);
export type AttemptOutcomeFilter = z.infer<typeof attemptOutcomeFilterSchema>;

export const MAX_ATTEMPTS_PAGE = 500;
export const CURSOR_MESSAGE = "cursor must be the nextCursor of a previous page";

const instant = z.iso.datetime({ offset: true, error: "Use an ISO 8601 instant with an offset or Z, e.g. 2025-01-31T09:30:00Z" }).transform((s) => new Date(s));

// `from` inclusive, `to` exclusive, both on dialedAt: the list and the attempts export filter alike.
const filterFields = { outcome: attemptOutcomeFilterSchema.optional(), from: instant.optional(), to: instant.optional() };
const ordered = (f: { from?: Date; to?: Date }) => !f.from || !f.to || f.to > f.from;
const orderIssue = { path: ["to"], message: "`to` must be later than `from`" };

export const attemptFiltersSchema = z.object(filterFields).refine(ordered, orderIssue);
export type AttemptFilters = z.infer<typeof attemptFiltersSchema>;

export const attemptsQuerySchema = z
  .object({
    ...filterFields,
    cursor: z
      .string()
      .transform((c, ctx) => decodeAttemptCursor(c) ?? (ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE }), z.NEVER))
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ATTEMPTS_PAGE).default(100),
  })
  .refine(ordered, orderIssue);
export type AttemptsQuery = z.infer<typeof attemptsQuerySchema>;
