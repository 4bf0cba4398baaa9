import { describe, expect, it } from "vitest";
import { ConflictError } from "../errors";
import { allowedActions, archiveRefusal, nextStatus } from "./lifecycle";

describe("campaign lifecycle", () => {
  it("follows draft → running ⇄ paused, with cancel from any live state", () => {
    expect(nextStatus("DRAFT", "start")).toBe("RUNNING");
    expect(nextStatus("RUNNING", "pause")).toBe("PAUSED");
    expect(nextStatus("PAUSED", "resume")).toBe("RUNNING");
    for (const s of ["DRAFT", "RUNNING", "PAUSED"] as const) expect(nextStatus(s, "cancel")).toBe("CANCELLED");
  });

  it("refuses impossible transitions with a message a user understands", () => {
    expect(() => nextStatus("CANCELLED", "start")).toThrow("Cannot start a cancelled campaign.");
    expect(() => nextStatus("COMPLETED", "resume")).toThrow("Cannot resume a completed campaign.");
    expect(() => nextStatus("CANCELLED", "cancel")).toThrow("Cannot cancel a cancelled campaign.");
    expect(() => nextStatus("RUNNING", "start")).toThrow("Campaign was already started (it is running).");
    expect(() => nextStatus("DRAFT", "resume")).toThrow(/start it instead/);
    expect(() => nextStatus("DRAFT", "pause")).toThrow(ConflictError);
  });

  it("lists the buttons to show per state", () => {
    expect(allowedActions("DRAFT")).toEqual(["start", "cancel"]);
    expect(allowedActions("RUNNING")).toEqual(["pause", "cancel"]);
    expect(allowedActions("PAUSED")).toEqual(["resume", "cancel"]);
    expect(allowedActions("COMPLETED")).toEqual([]);
    expect(allowedActions("CANCELLED")).toEqual([]);
  });

  it("never starts or resumes an archived campaign, and archives only one that is not running", () => {
    expect(() => nextStatus("DRAFT", "start", { archived: true })).toThrow("Cannot start an archived campaign; unarchive it first.");
    expect(() => nextStatus("PAUSED", "resume", { archived: true })).toThrow(expect.objectContaining({ code: "campaign_archived" }));
    // The status's own refusal comes first: it says more than "archived" does.
    expect(() => nextStatus("COMPLETED", "start", { archived: true })).toThrow("Cannot start a completed campaign.");
    expect(nextStatus("PAUSED", "cancel", { archived: true })).toBe("CANCELLED");
    expect(allowedActions("DRAFT", { archived: true })).toEqual(["cancel"]);
    expect(allowedActions("PAUSED", { archived: true })).toEqual(["cancel"]);
    expect(archiveRefusal("RUNNING")).toMatch(/pause or cancel it first/);
    for (const s of ["DRAFT", "PAUSED", "COMPLETED", "CANCELLED"] as const) expect(archiveRefusal(s)).toBeNull();
  });
});
