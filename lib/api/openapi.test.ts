import type { Campaign } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/events";
import { campaignSchema, openApiDocument, toCampaignJson } from "./openapi";

type Operation = { operationId?: string; security?: unknown[]; parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: unknown }> } };

const doc = openApiDocument();
const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
);

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every v1 route", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "fairdial API", version: expect.any(String) });
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        "GET /api/v1/campaigns",
        "POST /api/v1/campaigns",
        "GET /api/v1/campaigns/{id}",
        "PATCH /api/v1/campaigns/{id}",
        "POST /api/v1/campaigns/{id}/start",
        "POST /api/v1/campaigns/{id}/pause",
        "POST /api/v1/campaigns/{id}/resume",
        "POST /api/v1/campaigns/{id}/cancel",
        "POST /api/v1/campaigns/{id}/duplicate",
        "POST /api/v1/campaigns/{id}/archive",
        "POST /api/v1/campaigns/{id}/unarchive",
        "GET /api/v1/campaigns/{id}/leads",
        "GET /api/v1/campaigns/{id}/leads/{leadId}",
        "GET /api/v1/campaigns/{id}/attempts",
        "GET /api/v1/campaigns/{id}/attempts/export",
        "GET /api/v1/campaigns/{id}/export",
        "GET /api/v1/campaigns/{id}/rejected",
        "GET /api/v1/suppressions",
        "POST /api/v1/suppressions",
        "DELETE /api/v1/suppressions/{phone}",
        "GET /api/v1/settings/calling-rules",
        "PUT /api/v1/settings/calling-rules",
        "POST /api/v1/calls/{attemptId}/opt-out",
        "GET /api/v1/webhooks",
        "POST /api/v1/webhooks",
        "GET /api/v1/webhooks/{endpointId}",
        "PATCH /api/v1/webhooks/{endpointId}",
        "DELETE /api/v1/webhooks/{endpointId}",
        "POST /api/v1/webhooks/{endpointId}/roll-secret",
        "GET /api/v1/webhooks/{endpointId}/deliveries",
        "POST /api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
        "GET /api/v1/openapi.json",
      ].sort(),
    );
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(operations.length);
  });

  it("requires the bearer key everywhere but on the document itself, and documents 401, 429 and 404", () => {
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const { key, path, op } of operations) {
      if (path === "/api/v1/openapi.json") {
        expect(op.security).toEqual([]);
        continue;
      }
      expect(op.security, key).toBeUndefined();
      expect(Object.keys(op.responses), key).toContain("401");
      expect(op.responses["429"], key).toMatchObject({ headers: { "Retry-After": expect.anything(), "RateLimit-Remaining": expect.anything() } });
      if (path.includes("{")) expect(Object.keys(op.responses), key).toContain("404");
    }
  });

  it("documents every webhook event as an OpenAPI webhook: the envelope, its data, and how to verify the signature", () => {
    const webhooks = (doc as { webhooks?: Record<string, { post: Operation & { description?: string } }> }).webhooks ?? {};
    expect(Object.keys(webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const [type, item] of Object.entries(webhooks)) {
      expect(item.post.description, type).toMatch(/Fairdial-Signature: t=<unix seconds>,v1=<hex>/);
      const ref = (item.post.requestBody?.content["application/json"]?.schema as { $ref: string }).$ref;
      const schema = (doc.components?.schemas as Record<string, { properties: Record<string, { enum?: string[]; const?: string }> }>)[ref.split("/").pop()!]!;
      expect(Object.keys(schema.properties).sort(), type).toEqual(["createdAt", "data", "id", "tenantId", "type"]);
      expect(schema.properties.type!.const ?? schema.properties.type!.enum?.[0], type).toBe(type);
    }
  });

  it("declares every path parameter and resolves every $ref", () => {
    for (const { key, path, op } of operations) {
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters?.find((p) => p.in === "path" && p.name === name), `${key} {${name}}`).toMatchObject({ required: true });
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [ref, kind, name] of refs) {
      expect((doc.components as Record<string, Record<string, unknown>>)[kind!]?.[name!], ref).toBeDefined();
    }
  });

  it("describes both request bodies of POST /campaigns from the zod schemas the route validates with", () => {
    const create = operations.find((o) => o.key === "POST /api/v1/campaigns")!.op;
    expect(Object.keys(create.requestBody!.content).sort()).toEqual(["application/json", "multipart/form-data"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, { maxItems?: number; format?: string }> }>;
    expect(schemas.CreateCampaignJson!.required).toEqual(["name", "leads"]);
    expect(schemas.CreateCampaignJson!.properties!.leads!.maxItems).toBe(100_000);
    expect(schemas.CreateCampaignForm!.required).toEqual(["name", "file"]);
    expect(schemas.CreateCampaignForm!.properties!.file!.format).toBe("binary");
    expect(Object.keys(create.responses).sort()).toEqual(["201", "400", "401", "413", "415", "422", "429"]);
    expect(schemas.Error!.required).toEqual(["error"]);
  });
});

describe("the calling schedule", () => {
  it("documents PATCH /campaigns/{id} with the schedule body, 409 for a finished campaign and 422 for bad fields", () => {
    const patch = operations.find((o) => o.key === "PATCH /api/v1/campaigns/{id}")!.op;
    expect(Object.keys(patch.requestBody!.content)).toEqual(["application/json"]);
    expect(Object.keys(patch.responses).sort()).toEqual(["200", "401", "404", "409", "413", "422", "429"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, { required?: string[] }> }>;
    expect(schemas.UpdateCampaignSchedule!.required).toEqual(["schedule"]);
    expect(schemas.UpdateCampaignSchedule!.properties!.schedule!.required?.sort()).toEqual(["days", "end", "endAt", "start", "startAt"]);
    expect(schemas.Campaign!.required).toEqual(expect.arrayContaining(["timezone", "schedule", "suppressedCount"]));
    expect(schemas.Lead!.required).toEqual(expect.arrayContaining(["timezones", "zoneSource", "suppressedReason"]));
    expect(Object.keys(schemas.CreateCampaignForm!.properties!)).toEqual(expect.arrayContaining(["timezone", "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt"]));
  });
});

describe("the do-not-call routes", () => {
  it("document JSON (one number or many) and CSV bodies, the counts answered, and 404 for an unknown number or call", () => {
    const add = operations.find((o) => o.key === "POST /api/v1/suppressions")!.op;
    expect(Object.keys(add.requestBody!.content).sort()).toEqual(["application/json", "text/csv"]);
    expect(Object.keys(add.responses).sort()).toEqual(["200", "401", "413", "415", "422", "429"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, { maxItems?: number }> }>;
    expect(schemas.AddSuppression!.required).toEqual(["phone"]);
    expect(schemas.AddSuppressions!.properties!.numbers!.maxItems).toBe(10_000);
    expect(schemas.SuppressionResult!.required?.sort()).toEqual(["added", "alreadyListed", "leadsSuppressed", "rejected"]);
    expect(schemas.Suppression!.required?.sort()).toEqual(["createdAt", "id", "phone", "reason", "source"]);
    expect(Object.keys(operations.find((o) => o.key === "DELETE /api/v1/suppressions/{phone}")!.op.responses)).toContain("204");
  });
});

describe("the call-attempt routes", () => {
  it("document the filters, the cursor, 404 and 422 of the list, the lead with its attempts, and the attempts CSV", () => {
    const list = operations.find((o) => o.key === "GET /api/v1/campaigns/{id}/attempts")!.op;
    expect(list.parameters!.filter((p) => p.in === "query").map((p) => p.name).sort()).toEqual(["cursor", "from", "limit", "outcome", "to"]);
    expect(Object.keys(list.responses).sort()).toEqual(["200", "401", "404", "422", "429"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
    expect(schemas.Attempt!.required?.sort()).toEqual(
      ["answeredAt", "attemptNumber", "dialedAt", "durationSec", "endedAt", "error", "id", "inDoubt", "leadId", "outcome", "outcomeAssumed", "phone", "providerCallId", "queuedAt"].sort(),
    );
    expect(schemas.LeadWithAttempts!.required).toEqual(expect.arrayContaining([...schemas.Lead!.required!, "attempts"]));
    const lead = operations.find((o) => o.key === "GET /api/v1/campaigns/{id}/leads/{leadId}")!.op;
    expect(Object.keys(lead.responses).sort()).toEqual(["200", "401", "404", "429"]);
    const csv = operations.find((o) => o.key === "GET /api/v1/campaigns/{id}/attempts/export")!.op;
    expect(Object.keys((csv.responses["200"] as { content: Record<string, unknown> }).content)).toEqual(["text/csv"]);
    expect(csv.parameters!.filter((p) => p.in === "query").map((p) => p.name).sort()).toEqual(["from", "outcome", "to"]);
  });
});

describe("the housekeeping routes", () => {
  it("document the duplicate body, 201 and 409, the archive conflict, and the archived filter of the list", () => {
    const duplicate = operations.find((o) => o.key === "POST /api/v1/campaigns/{id}/duplicate")!.op;
    expect(Object.keys(duplicate.responses).sort()).toEqual(["201", "401", "404", "409", "413", "422", "429"]);
    const schemas = doc.components!.schemas as Record<string, { required?: string[]; properties?: Record<string, { enum?: string[] }> }>;
    expect(schemas.DuplicateCampaign!.required).toEqual(["leads"]);
    expect(schemas.DuplicateCampaign!.properties!.leads!.enum).toEqual(["all", "unfinished"]);
    expect(Object.keys(operations.find((o) => o.key === "POST /api/v1/campaigns/{id}/archive")!.op.responses)).toContain("409");
    expect(Object.keys(operations.find((o) => o.key === "POST /api/v1/campaigns/{id}/unarchive")!.op.responses)).not.toContain("409");
    expect(operations.find((o) => o.key === "GET /api/v1/campaigns")!.op.parameters!.map((p) => p.name)).toEqual(["archived"]);
    expect(schemas.Campaign!.required).toContain("archivedAt");
  });
});

describe("toCampaignJson", () => {
  it("gives the documented shape: ISO dates, nulls for what has not happened yet, no internal fields", () => {
    const campaign: Campaign = {
      id: "c1",
      tenantId: "t1",
      name: "Spring",
      status: "RUNNING",
      defaultCountry: "US",
      maxAttempts: 3,
      retryDelaySec: 1800,
      retryOutcomes: ["NO_ANSWER", "BUSY"],
      twimlUrl: null,
      totalLeads: 10,
      rejectedCount: 1,
      duplicateCount: 2,
      pendingCount: 7,
      suppressedCount: 1,
      timezone: "America/Chicago",
      scheduleDays: [1, 2, 3, 4, 5],
      scheduleStart: "09:00",
      scheduleEnd: "17:00",
      startAt: new Date("2025-02-03T15:00:00Z"),
      endAt: null,
      createdAt: new Date("2025-01-31T09:30:00Z"),
      startedAt: new Date("2025-01-31T10:00:00Z"),
      firstDialAt: null,
      completedAt: null,
    } as Campaign;
    const json = toCampaignJson(campaign);
    expect(campaignSchema.strict().parse(json)).toEqual(json);
    expect(json).toMatchObject({ createdAt: "2025-01-31T09:30:00.000Z", startedAt: "2025-01-31T10:00:00.000Z", firstDialAt: null });
    expect(json).toMatchObject({ timezone: "America/Chicago", suppressedCount: 1, schedule: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2025-02-03T15:00:00.000Z", endAt: null } });
    expect(json).not.toHaveProperty("tenantId");
    expect(json).not.toHaveProperty("pendingCount");
  });
});
