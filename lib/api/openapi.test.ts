import type { Campaign } from "@prisma/client";
import { describe, expect, it } from "vitest";
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
        "POST /api/v1/campaigns/{id}/start",
        "POST /api/v1/campaigns/{id}/pause",
        "POST /api/v1/campaigns/{id}/resume",
        "POST /api/v1/campaigns/{id}/cancel",
        "GET /api/v1/campaigns/{id}/leads",
        "GET /api/v1/campaigns/{id}/export",
        "GET /api/v1/campaigns/{id}/rejected",
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
      if (path.includes("{id}")) expect(Object.keys(op.responses), key).toContain("404");
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
      createdAt: new Date("2025-01-31T09:30:00Z"),
      startedAt: new Date("2025-01-31T10:00:00Z"),
      firstDialAt: null,
      completedAt: null,
    } as Campaign;
    const json = toCampaignJson(campaign);
    expect(campaignSchema.strict().parse(json)).toEqual(json);
    expect(json).toMatchObject({ createdAt: "2025-01-31T09:30:00.000Z", startedAt: "2025-01-31T10:00:00.000Z", firstDialAt: null });
    expect(json).not.toHaveProperty("tenantId");
    expect(json).not.toHaveProperty("pendingCount");
  });
});
