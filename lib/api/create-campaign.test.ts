import { describe, expect, it } from "vitest";
import { leadsCsv } from "../campaigns/create";
import { FieldError } from "../errors";
import { preview } from "../imports/parse";

async function csvOf(leads: Parameters<typeof leadsCsv>[0]) {
  let text = "";
  for await (const chunk of leadsCsv(leads)) text += chunk;
  return text;
}

describe("JSON leads as CSV (POST /api/v1/campaigns with application/json)", () => {
  it("writes phone, name, timezone, then one column per variable used by any lead", async () => {
    const csv = await csvOf([
      { phone: "+12125550100", name: "Ada, Countess", variables: { plan: "gold", seats: 3, vip: true, note: null } },
      { phone: "+12125550101", timezone: "UTC", variables: { region: "EU" } },
    ]);
    const parsed = preview(Buffer.from(csv));
    expect(parsed.headers).toEqual(["phone", "name", "timezone", "plan", "seats", "vip", "note", "region"]);
    expect(parsed.rows).toEqual([
      ["+12125550100", "Ada, Countess", "", "gold", "3", "true", "", ""],
      ["+12125550101", "", "UTC", "", "", "", "", "EU"],
    ]);
  });

  it("keeps the comma delimiter whatever the variable names contain", async () => {
    const csv = await csvOf([{ phone: "+12125550100", variables: { "a;b": "1", "c;d": "2", 'say "hi"': "3" } }]);
    const parsed = preview(Buffer.from(csv));
    expect(parsed.delimiter).toBe(",");
    expect(parsed.headers).toEqual(["phone", "name", "timezone", "a;b", "c;d", 'say "hi"']);
  });

  it("keeps values with quotes, line breaks and surrounding spaces intact", async () => {
    const value = ' "quoted"\nnext line ';
    const parsed = preview(Buffer.from(await csvOf([{ phone: "+12125550100", variables: { note: value } }])));
    expect(parsed.rows[0]![3]).toBe(value);
  });

  it("refuses variable names that would clash with the lead's own columns or be renamed", async () => {
    for (const name of ["phone", "name", "timezone", "", " padded"]) {
      const err = await csvOf([{ phone: "+12125550100" }, { phone: "+12125550101", variables: { [name]: "x" } }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FieldError);
      expect(Object.keys((err as FieldError).fields)).toEqual([`leads.1.variables.${name}`]);
    }
  });

  it("streams a large list in chunks", async () => {
    const leads = Array.from({ length: 5000 }, (_, i) => ({ phone: `+1212555${String(i).padStart(4, "0")}`, name: `Lead ${i}` }));
    const chunks: string[] = [];
    for await (const chunk of leadsCsv(leads)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("").split("\r\n").length).toBe(5002);
  });
});
