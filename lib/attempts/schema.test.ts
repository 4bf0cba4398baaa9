import { describe, expect, it } from "vitest";
import { encodeAttemptCursor } from "./cursor";
import { attemptFiltersSchema, attemptsQuerySchema } from "./schema";

const fieldsOf = (input: Record<string, string>) => {
  const r = attemptsQuerySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("the attempts query", () => {
  it("reads filters, the cursor and the page size", () => {
    const cursor = encodeAttemptCursor({ leadId: 9n, attemptNumber: 2 });
    expect(attemptsQuerySchema.parse({ outcome: "pending", from: "2025-01-31T09:00:00+01:00", to: "2025-01-31T09:00:00Z", cursor, limit: "500" })).toEqual({
      outcome: "pending",
      from: new Date("2025-01-31T08:00:00Z"),
      to: new Date("2025-01-31T09:00:00Z"),
      cursor: { leadId: 9n, attemptNumber: 2 },
      limit: 500,
    });
    expect(attemptsQuerySchema.parse({})).toEqual({ limit: 100 });
  });

  it("names the field at fault", () => {
    expect(fieldsOf({ outcome: "RINGING" })).toEqual(["outcome"]);
    expect(fieldsOf({ outcome: "completed" })).toEqual(["outcome"]);
    expect(fieldsOf({ from: "yesterday" })).toEqual(["from"]);
    expect(fieldsOf({ to: "2025-01-31T09:00:00" })).toEqual(["to"]);
    expect(fieldsOf({ from: "2025-01-31T09:00:00Z", to: "2025-01-31T09:00:00Z" })).toEqual(["to"]);
    expect(fieldsOf({ cursor: "abc" })).toEqual(["cursor"]);
    expect(fieldsOf({ limit: "0" })).toEqual(["limit"]);
    expect(fieldsOf({ limit: "501" })).toEqual(["limit"]);
  });

  it("filters the export the same way, without a cursor or a page size", () => {
    expect(attemptFiltersSchema.parse({ outcome: "NO_ANSWER" })).toEqual({ outcome: "NO_ANSWER" });
    expect(attemptFiltersSchema.safeParse({ from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }).success).toBe(false);
  });
});
