// The OpenAPI paths of campaign housekeeping: duplicate a campaign, archive and unarchive it.
// buildRegistry() in lib/api/openapi.ts registers them with its response helpers and its Campaign schema.
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { duplicateCampaignSchema } from "../campaigns/schema";

type PathHelpers = {
  json: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  fail: (description: string) => ResponseConfig;
  authenticated: Record<401 | 429, ResponseConfig>;
};

export function registerHousekeepingPaths(registry: OpenAPIRegistry, { json, fail, authenticated }: PathHelpers, campaign: z.ZodType) {
  const duplicate = registry.register(
    "DuplicateCampaign",
    z
      .object({
        leads: duplicateCampaignSchema.shape.leads.meta({
          description:
            "`all`: every lead; `unfinished`: the leads that did not end COMPLETED (answered): pending, scheduled, no answer, busy, voicemail, failed, cancelled and suppressed ones",
        }),
        name: duplicateCampaignSchema.shape.name.meta({ description: "The new campaign's name; default: the campaign's name followed by \" (copy)\"" }),
      })
      .meta({}),
  );
  const id = z.object({ id: z.string().meta({ description: "Campaign id" }) });
  const tags = ["Campaigns"];
  const notFound = fail("No campaign with this id in your account");

  registry.registerPath({
    method: "post",
    path: "/api/v1/campaigns/{id}/duplicate",
    operationId: "duplicateCampaign",
    summary: "Duplicate a campaign as a new draft, with all its leads or only the unfinished ones",
    description:
      "The new campaign is a DRAFT with the same settings (default country, retry policy, TwiML URL, time zone, calling days and hours; a scheduled start or automatic stop only while it is still ahead) and a copy of each chosen lead (line, phone, name, zones, variables) as never called. The copies are checked against your and the platform's do-not-call lists as they are today, as an import is: a number listed since is SUPPRESSED, a number taken off the lists is called again. Rejected rows are not copied. Any campaign can be duplicated, archived ones too; `unfinished` waits until no call of the campaign is in progress. All or nothing; it counts as an import against IMPORT_MAX_CONCURRENT_PER_TENANT.",
    tags,
    request: { params: id, body: { required: true, content: { "application/json": { schema: duplicate } } } },
    responses: {
      201: json(z.object({ campaign }), "The new campaign; its `totalLeads` and `suppressedCount` count the copies"),
      ...authenticated,
      404: notFound,
      409: fail("`unfinished` while the campaign is running (code campaign_running) or has calls in progress (code calls_in_progress)"),
      413: fail("The body is larger than API_JSON_MAX_BYTES (code too_large)"),
      422: fail("Invalid fields (validation_failed, with `fields`)"),
    },
  });
  const archiving = {
    archive: {
      summary: "Archive a campaign: it leaves the campaign list, and stays readable and exportable",
      description:
        "Any campaign that is not RUNNING: pause or cancel one first, or let it complete. An archived campaign is left out of GET /campaigns (unless `archived=true`) and the dashboard; GET /campaigns/{id}, its leads, attempts and exports answer as before. It cannot be started or resumed until unarchived (cancel still works). Archiving an archived campaign changes nothing.",
      conflict: fail("The campaign is running (code campaign_running)"),
    },
    unarchive: {
      summary: "Unarchive a campaign: back in the campaign list, as it was",
      description: "A paused campaign can be resumed again, a draft started. Unarchiving a campaign that is not archived changes nothing.",
      conflict: undefined,
    },
  };
  for (const [action, { summary, description, conflict }] of Object.entries(archiving)) {
    registry.registerPath({
      method: "post",
      path: `/api/v1/campaigns/{id}/${action}`,
      operationId: `${action}Campaign`,
      summary,
      description,
      tags,
      request: { params: id },
      responses: {
        200: json(z.object({ campaign }), "The campaign, with its `archivedAt`"),
        ...authenticated,
        404: notFound,
        ...(conflict ? { 409: conflict } : {}),
      },
    });
  }
}
