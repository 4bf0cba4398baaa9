import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registerCallingRulesPaths } from "./openapi-calling-rules";

extendZodWithOpenApi(z);

// Until buildRegistry() in ./openapi.ts calls registerCallingRulesPaths, the paths are checked on a registry of their own.
const json = <T extends z.ZodType>(schema: T, description: string): ResponseConfig => ({ description, content: { "application/json": { schema } } });
const fail = (description: string) => json(z.object({ error: z.object({ code: z.string() }) }), description);
const registry = new OpenAPIRegistry();
registerCallingRulesPaths(registry, { json, fail, authenticated: { 401: fail("unauthorized"), 429: fail("rate limited") } });
const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: "3.1.0", info: { title: "t", version: "1" } });

type Operation = { operationId: string; responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } };

describe("the calling-rules routes in the OpenAPI document", () => {
  it("document GET and PUT with the caps (1–100 or null, both required) and the platform's hours per country", () => {
    const item = doc.paths!["/api/v1/settings/calling-rules"] as Record<string, Operation>;
    expect(Object.keys(item).sort()).toEqual(["get", "put"]);
    expect(Object.keys(item.get!.responses).sort()).toEqual(["200", "401", "429"]);
    expect(Object.keys(item.put!.responses).sort()).toEqual(["200", "401", "413", "422", "429"]);
    expect(Object.keys(item.put!.requestBody!.content)).toEqual(["application/json"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, { type?: unknown; minimum?: number; maximum?: number }> }>;
    expect(schemas.SetFrequencyCaps!.required?.sort()).toEqual(["callsPer24h", "callsPer30d"]);
    expect(schemas.SetFrequencyCaps!.properties!.callsPer24h).toMatchObject({ type: ["integer", "null"], minimum: 1, maximum: 100 });
    expect(schemas.CallingRules!.required?.sort()).toEqual(["callsPer24h", "callsPer30d", "countryHours"]);
  });
});
