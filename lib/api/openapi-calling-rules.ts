// The OpenAPI paths of GET/PUT /api/v1/settings/calling-rules. buildRegistry() in lib/api/openapi.ts registers
// them with its response helpers: registerCallingRulesPaths(registry, { json, fail, authenticated }).
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { MAX_CALLS_PER_WINDOW } from "../tenants/schema";

type PathHelpers = {
  json: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  fail: (description: string) => ResponseConfig;
  authenticated: Record<401 | 429, ResponseConfig>;
};

const cap = (window: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_CALLS_PER_WINDOW)
    .nullable()
    .meta({ description: `At most this many calls to one number in any ${window}, across all your campaigns; null = no limit`, example: 3 });

const caps = { callsPer24h: cap("24 hours"), callsPer30d: cap("30 days") };

/** The answer of GET and PUT: what the routes send, checked against this schema in lib/tenants/calling-rules.int.test.ts. */
export const callingRulesSchema = z.object({
  ...caps,
  countryHours: z
    .array(
      z.object({
        country: z.string().meta({ description: "ISO 3166 alpha-2 code", example: "US" }),
        intervals: z
          .array(
            z.object({
              days: z.array(z.number().int().min(1).max(7)).meta({ description: "ISO weekdays, 1 = Monday … 7 = Sunday" }),
              start: z.string().meta({ description: "\"HH:mm\" in the local time of the person called", example: "08:00" }),
              end: z.string().meta({ description: "\"HH:mm\", exclusive; \"24:00\" = midnight", example: "21:00" }),
            }),
          )
          .meta({ description: "When calls to the country are allowed; an empty list means never" }),
      }),
    )
    .meta({ description: "The platform's calling hours per destination country, set by the platform operator (read-only here); a country not listed has no platform restriction" }),
});

export function registerCallingRulesPaths(registry: OpenAPIRegistry, { json, fail, authenticated }: PathHelpers) {
  const tags = ["Settings"];
  const rules = registry.register("CallingRules", callingRulesSchema.meta({}));
  const body = registry.register("SetFrequencyCaps", z.object(caps).meta({ description: "Both caps, each required; null switches one off" }));
  const description =
    "Frequency caps hold back a lead whose number your account has called as often as the cap allows in the window: it waits as SCHEDULED, with the reason, until the oldest of those calls leaves the window. Calling hours work the same way; each campaign's own schedule applies as well, the tighter wins.";

  registry.registerPath({
    method: "get",
    path: "/api/v1/settings/calling-rules",
    operationId: "getCallingRules",
    summary: "Get your frequency caps and the platform's calling hours per country",
    description,
    tags,
    responses: { 200: json(rules, "The caps and the calling hours"), ...authenticated },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/settings/calling-rules",
    operationId: "setFrequencyCaps",
    summary: "Set your frequency caps",
    description: `${description} The change applies to the next call of every running campaign; raising or removing a cap also frees the leads the old one was holding.`,
    tags,
    request: { body: { required: true, content: { "application/json": { schema: body } } } },
    responses: {
      200: json(rules, "The caps as saved, with the calling hours"),
      ...authenticated,
      413: fail("The body is larger than API_JSON_MAX_BYTES (code too_large)"),
      422: fail(`A cap that is not a whole number from 1 to ${MAX_CALLS_PER_WINDOW} or null, or a missing one (validation_failed, with \`fields\`)`),
    },
  });
}
