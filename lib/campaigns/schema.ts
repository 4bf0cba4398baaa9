import { z } from "zod";
import { timeZoneSchema } from "../imports/schema";
import { campaignScheduleInputSchema } from "../rules/schema";
import { CAMPAIGN_ACTIONS } from "./lifecycle";

// Browser-safe shapes shared by pages, actions and the REST API (and its OpenAPI document).
export const LEAD_STATUSES = ["PENDING", "SCHEDULED", "QUEUED", "DIALING", "COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "CANCELLED", "SUPPRESSED"] as const;
export const leadStatusSchema = z.enum(LEAD_STATUSES);
export type LeadStatusName = z.infer<typeof leadStatusSchema>;

export const CAMPAIGN_STATUSES = ["DRAFT", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED"] as const;
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);
export const campaignActionSchema = z.enum(CAMPAIGN_ACTIONS);

export const OUTCOMES = ["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "PROVIDER_ERROR"] as const;
export const outcomeSchema = z.enum(OUTCOMES);

export const TERMINAL_LEAD_STATUSES: LeadStatusName[] = ["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "CANCELLED", "SUPPRESSED"];

export const leadsQuerySchema = z.object({
  status: leadStatusSchema.optional(),
  cursor: z.string().regex(/^\d+$/, "cursor must be the nextCursor of a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type LeadsQuery = z.infer<typeof leadsQuerySchema>;

/** JSON body of POST /api/v1/campaigns (the multipart form takes a CSV file instead of `leads`). */
export const createCampaignJsonSchema = z.object({
  name: z.string().trim().min(1, "Give the campaign a name").max(120, "Use at most 120 characters"),
  defaultCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US or GB").default("US"),
  /** IANA zone for leads whose zone neither the lead nor its number tells (default UTC). */
  timezone: timeZoneSchema.optional(),
  /** Calling schedule in each lead's local time; the platform's hours for the lead's country apply as well. */
  schedule: campaignScheduleInputSchema.optional(),
  leads: z
    .array(
      z.object({
        phone: z.string().min(1, "phone is required").max(64),
        name: z.string().max(200).optional(),
        timezone: z.string().max(64).optional(),
        variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      }),
    )
    .min(1, "Send at least one lead")
    .max(100_000, "Send at most 100,000 leads per JSON request; upload a CSV for more"),
});
export type CreateCampaignJson = z.infer<typeof createCampaignJsonSchema>;

export const retryPolicySchema = z.object({
  maxAttempts: z.coerce.number().int().min(1).max(10),
  retryDelaySec: z.coerce.number().int().min(0).max(7 * 24 * 3600),
  retryOutcomes: z.array(z.enum(["NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"])),
});

/** JSON body of PATCH /api/v1/campaigns/{id}: the schedule replaces the campaign's; the time zone stays unless given. */
export const updateCampaignScheduleSchema = z.object({
  /** The campaign's zone: the fallback for leads whose zone is unknown, and the zone its times are shown in. */
  timezone: timeZoneSchema.optional(),
  schedule: campaignScheduleInputSchema,
});
export type UpdateCampaignScheduleInput = z.infer<typeof updateCampaignScheduleSchema>;

/**
 * Which leads a duplicate copies: every lead, or those that did not end COMPLETED (answered and talked to). A
 * no-answer, busy, voicemail, failed, cancelled or suppressed lead, and one still waiting for a call, is unfinished.
 */
export const DUPLICATE_LEADS = ["all", "unfinished"] as const;

/** JSON body of POST /api/v1/campaigns/{id}/duplicate, and the campaign page's duplicate form. */
export const duplicateCampaignSchema = z.object({
  leads: z.enum(DUPLICATE_LEADS, { error: 'Choose "all" or "unfinished"' }),
  /** Defaults to the campaign's name with " (copy)". */
  name: createCampaignJsonSchema.shape.name.optional(),
});
export type DuplicateCampaignInput = z.infer<typeof duplicateCampaignSchema>;

/** GET /api/v1/campaigns: archived campaigns are listed only when asked for, and then only they. */
export const campaignsQuerySchema = z.object({
  archived: z.enum(["true", "false"], { error: 'Use "true" or "false"' }).default("false").transform((v) => v === "true"),
});
