import { describe, expect, it } from "vitest";
import { guessMapping, normaliseHeader, variableColumns } from "./mapping";

describe("guessMapping", () => {
  it.each([
    ["phone"],
    ["Phone"],
    ["phone_number"],
    ["Phone Number"],
    ["PHONENUMBER"],
    ["mobile"],
    ["Cell"],
    ["tel"],
    ["Telephone"],
    ["number"],
  ])("recognises %j as the phone column", (header) => {
    expect(guessMapping(["id", header, "city"]).phoneColumn).toBe(header);
  });

  it("prefers an explicit phone column over the vaguer 'number'", () => {
    expect(guessMapping(["number", "mobile", "phone"]).phoneColumn).toBe("phone");
    expect(guessMapping(["account number", "number", "mobile"]).phoneColumn).toBe("mobile");
  });

  it("finds the name and the time zone", () => {
    expect(guessMapping(["phone", "Full Name", "time_zone"])).toEqual({ phoneColumn: "phone", nameColumn: "Full Name", timezoneColumn: "time_zone", variables: [] });
    expect(guessMapping(["phone", "first_name", "last_name", "TZ"])).toEqual({
      phoneColumn: "phone",
      nameColumn: "first_name",
      timezoneColumn: "TZ",
      variables: ["last_name"],
    });
  });

  it("makes every other column a variable, in file order", () => {
    expect(guessMapping(["email", "phone", "plan", "name", "city"])).toEqual({
      phoneColumn: "phone",
      nameColumn: "name",
      variables: ["email", "plan", "city"],
    });
  });

  it("leaves out what it cannot find", () => {
    expect(guessMapping(["name", "email"])).toEqual({ nameColumn: "name", variables: ["email"] });
    expect(guessMapping([])).toEqual({ variables: [] });
  });
});

describe("variableColumns", () => {
  it("is the headers minus the mapped columns", () => {
    expect(variableColumns(["a", "phone", "b", "who"], { phoneColumn: "phone", nameColumn: "who" })).toEqual(["a", "b"]);
  });
});

describe("normaliseHeader", () => {
  it("ignores case, spaces, underscores, dashes and dots", () => {
    expect(normaliseHeader(" Phone_Number ")).toBe("phonenumber");
    expect(normaliseHeader("TIME-ZONE")).toBe("timezone");
    expect(normaliseHeader("tel.")).toBe("tel");
  });
});
