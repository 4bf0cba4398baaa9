import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { columnBombCsv, csvOfSize, leadsCsv, leadsCsvCounts, longLineCsv, singleLineFile } from "./fixtures/generate";
import { parseLeads, preview, type ImportSource, type LeadRow, type ParseOptions, type RejectedLine } from "./parse";
import { ImportError } from "./schema";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const MB = 1024 * 1024;

describe("parseLeads: good files", () => {
  it("normalises phones, trims names, canonicalises time zones and keeps other non-empty cells as variables", async () => {
    const { leads, rejected, duplicates } = await parseAll(fixture("basic.csv"));
    expect(rejected).toEqual([]);
    expect(duplicates).toBe(0);
    expect(leads).toEqual([
      { line: 2, phone: "+12125550100", name: "Ada Lovelace", timezone: "America/New_York", country: "US", variables: { city: "New York", plan: "gold" } },
      { line: 3, phone: "+14155550101", name: "Grace Hopper", timezone: "America/Los_Angeles", country: "US", variables: { city: "San Francisco", plan: "silver" } },
      { line: 4, phone: "+13125550102", name: "Alan Turing", timezone: null, country: "US", variables: { city: "Chicago", plan: "gold" } },
      { line: 5, phone: "+16175550103", name: null, timezone: "UTC", country: "US", variables: { city: "Boston" } },
      { line: 6, phone: "+442079460958", name: "Tim Berners-Lee", timezone: "Europe/London", country: "GB", variables: { city: "London", plan: "bronze" } },
    ]);
  });

  it("reads quoted fields with delimiters, doubled quotes and line breaks, and numbers lines as an editor does", async () => {
    const { leads } = await parseAll(fixture("quoted-multiline.csv"));
    expect(leads.map((l) => [l.line, l.name, l.variables.notes])).toEqual([
      [2, "Doe, Jane", "first line\nsecond line"],
      [4, 'Smith "Smitty" John', 'says "hi", often'],
      [5, "Plain", "three\nline\nnote"],
      [8, "After", "done"],
    ]);
  });

  it("strips a UTF-8 BOM and CRLF line ends (Excel's CSV UTF-8)", async () => {
    const { leads } = await parseAll(fixture("crlf-bom.csv"));
    expect(leads).toEqual([
      { line: 2, phone: "+12125550120", name: "Zoë Ünal", timezone: null, country: "US", variables: { company: "Café Crème" } },
      { line: 3, phone: "+12125550121", name: "Ola", timezone: null, country: "US", variables: { company: "Big, Corp" } },
    ]);
  });

  it("detects a semicolon delimiter from the header line", async () => {
    const { leads } = await parseAll(fixture("semicolon.csv"), { mapping: { phoneColumn: "Telefon", nameColumn: "Name" } });
    expect(leads).toEqual([
      { line: 2, phone: "+4930901820", name: "Müller, Hans", timezone: null, country: "DE", variables: { Stadt: "Berlin", Betrag: "1,50" } },
      { line: 3, phone: "+12125550130", name: "Jane", timezone: null, country: "US", variables: { Stadt: "New York", Betrag: "2,75" } },
    ]);
  });

  it("rejects bad rows with a reason and the row as written, and keeps the first of each duplicate phone", async () => {
    const { leads, rejected, duplicates, rows } = await parseAll(fixture("invalid-and-duplicates.csv"));
    expect(leads.map((l) => [l.line, l.phone])).toEqual([
      [2, "+12125550140"],
      [9, "+12125550141"],
      [13, "+12125550144"],
    ]);
    expect(rejected).toEqual([
      { line: 3, reason: "too short", raw: "123,Too Short," },
      { line: 4, reason: "empty", raw: ",Empty," },
      { line: 6, reason: "not a phone number", raw: "not a number,Letters," },
      { line: 7, reason: "not a valid phone number for +1", raw: "+1 555 123 4567,Invalid Area," },
      { line: 10, reason: "has 4 fields, the header has 3", raw: "+12125550142,Too,Many,Fields" },
      { line: 11, reason: "has an extension (7), which cannot be dialled", raw: "212 555 0143 ext 7,Extension," },
    ]);
    expect(duplicates).toBe(2);
    expect(rows).toBe(11); // the blank line 8 is not a row
  });

  it("keeps a row whose time zone is not one, without the zone, and says which value was ignored", async () => {
    const csv = ["phone,name,timezone", "+12125550150,Valid,america/chicago", "+12125550151,Blank,  ", "+12125550152,Invalid, Mars/Olympus ", `+12125550153,Long,${"x".repeat(100)}`].join("\n");
    const { leads, rejected } = await parseAll(Buffer.from(csv));
    expect(rejected).toEqual([]);
    expect(leads.map((l) => [l.line, l.timezone, l.ignoredTimeZone])).toEqual([
      [2, "America/Chicago", undefined],
      [3, null, undefined],
      [4, null, "Mars/Olympus"],
      [5, null, "x".repeat(64)],
    ]);
  });

  it("stores formula-looking cells exactly as written (neutralising is for export)", async () => {
    const { leads } = await parseAll(fixture("formula-cells.csv"));
    expect(leads.map((l) => [l.name, l.variables])).toEqual([
      ['=HYPERLINK("http://evil.example","click")', { note: "+1+2", amount: "-5", handle: "@SUM(A1)" }],
      ["=cmd|' /C calc'!A0", { note: "plain", amount: "10", handle: "@ada" }],
    ]);
  });

  it("keeps tabs, backslashes, \\N and emoji intact", async () => {
    const { leads } = await parseAll(fixture("escapes.csv"));
    expect(leads.map((l) => [l.line, l.name, l.variables])).toEqual([
      [2, "Tab\there", { note: "line one\r\nline two", path: "C:\\temp\\new", json: '{"a":"\\\\N"}' }],
      [4, "Back\\slash", { note: "\\N", path: "\\t literal", json: "ünïcødé ✓ 😀" }],
    ]);
  });

  it("reads a stray quote inside an unquoted field literally, as spreadsheet apps do", async () => {
    const { leads, rejected } = await parseAll(fixture("stray-quote.csv"));
    expect(rejected).toEqual([]);
    expect(leads.map((l) => [l.line, l.name, l.variables.height])).toEqual([
      [2, "Ada", "5'6"],
      [3, "Bob", '6" tall'],
    ]);
  });

  it("still reads quoted fields after a stray quote, and a quote in the header", async () => {
    const csv = 'phone,size (")\n+12125550100,"a, ""b"""\n+12125550101,15" screen\n+12125550102,"multi\nline"\n';
    const { leads } = await parseAll(Buffer.from(csv));
    expect(leads.map((l) => [l.line, l.variables])).toEqual([
      [2, { 'size (")': 'a, "b"' }],
      [3, { 'size (")': '15" screen' }],
      [4, { 'size (")': "multi\nline" }],
    ]);
  });

  it.each([
    ["utf16le-bom.txt", "UTF-16LE"],
    ["utf16be-bom.txt", "UTF-16BE"],
  ])("reads Excel's tab-delimited Unicode text (%s, %s with a BOM)", async (name) => {
    const { leads, rejected } = await parseAll(fixture(name));
    expect(leads).toEqual([
      { line: 2, phone: "+12125550160", name: "Zoë Ünal", timezone: null, country: "US", variables: { City: "New York", Notes: '5" display' } },
      { line: 3, phone: "+14155550161", name: "José Núñez", timezone: null, country: "US", variables: { City: "San Francisco" } },
      { line: 4, phone: "+12125550162", name: "李小龍 😀", timezone: null, country: "US", variables: { City: "Chicago", Notes: 'says "hi", twice' } },
    ]);
    expect(rejected).toEqual([{ line: 5, reason: "not a phone number", raw: "not a phone\tBad Row\tNowhere\tx" }]);
  });

  it("does not store empty cells as variables", async () => {
    const { leads } = await parseAll(Buffer.from("phone,a,b,c\n+12125550100,,x,   \n+12125550101,1,,\n"));
    expect(leads.map((l) => l.variables)).toEqual([{ b: "x" }, { a: "1" }]);
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith(".csv") || f.endsWith(".txt")))("reads %s the same whatever the chunk boundaries", async (name) => {
    const bytes = fixture(name);
    const whole = await settle(parseAll(bytes));
    expect(await settle(parseAll(chunks(bytes, 1)))).toEqual(whole);
    expect(await settle(parseAll(chunks(bytes, 3)))).toEqual(whole);
  });

  it("takes a web ReadableStream or an async iterable of strings", async () => {
    const bytes = fixture("basic.csv");
    const expected = await parseAll(bytes);
    expect(await parseAll(webStream(bytes, 10))).toEqual(expected);
    expect(await parseAll((async function* () { yield bytes.toString("utf8"); })())).toEqual(expected);
  });

  it("counts a generated file exactly", { timeout: 30_000 }, async () => {
    const options = { rows: 20_000, invalidEvery: 100, duplicateEvery: 100 };
    const { leads, rejected, duplicates } = await parseAll(leadsCsv(options));
    expect({ imported: leads.length, rejected: rejected.length, duplicates }).toEqual(leadsCsvCounts(options));
  });

  it("stops at exactly maxRows and maxBytes, not one before", async () => {
    const bytes = fixture("basic.csv");
    await expect(parseAll(bytes, { limits: { maxRows: 5, maxBytes: bytes.length } })).resolves.toBeDefined();
  });
});

describe("parseLeads: files that cannot be imported", () => {
  it.each([
    ["empty.csv", "empty_file", "the file is empty"],
    ["header-only.csv", "no_data_rows", "the file has a header row but no data rows"],
    ["binary.csv", "not_utf8", "file is not UTF-8 text; save it as CSV UTF-8"],
    ["latin1.csv", "not_utf8", "file is not UTF-8 text; save it as CSV UTF-8"],
    ["missing-phone.csv", "missing_phone_column", 'no phone column found (name one "phone", "mobile" or "number"); the file has columns "name", "email", "city"'],
    ["unbalanced-quotes.csv", "malformed_csv", "line 3 opens a quote that is never closed (unbalanced quotes)"],
    ["duplicate-columns.csv", "duplicate_column", 'column "name" appears more than once in the header row'],
  ])("%s → %s", async (name, code, message) => {
    const err = await parseAll(fixture(name)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code, message });
  });

  it("treats a file of blank lines as empty, and a header followed by blank lines as having no rows", async () => {
    await expect(parseAll(Buffer.from("\n\r\n\n"))).rejects.toMatchObject({ code: "empty_file" });
    await expect(parseAll(Buffer.from("phone\n\n\n"))).rejects.toMatchObject({ code: "no_data_rows" });
  });

  it("names the available columns when the chosen ones are not in the file", async () => {
    await expect(parseAll(fixture("basic.csv"), { mapping: { phoneColumn: "mobile" } })).rejects.toThrow(
      'phone column "mobile" is not in the file; it has columns "phone", "name", "timezone", "city", "plan"',
    );
    await expect(parseAll(fixture("basic.csv"), { mapping: { phoneColumn: "phone", nameColumn: "who" } })).rejects.toMatchObject({
      code: "unknown_column",
    });
  });

  it("matches a chosen column regardless of case and spacing", async () => {
    const { leads } = await parseAll(fixture("basic.csv"), { mapping: { phoneColumn: "PHONE", nameColumn: "Name " } });
    expect(leads[0]).toMatchObject({ phone: "+12125550100", name: "Ada Lovelace" });
  });

  it("refuses more than maxRows data rows, naming the line", async () => {
    await expect(parseAll(fixture("basic.csv"), { limits: { maxRows: 4 } })).rejects.toMatchObject({
      code: "too_many_rows",
      message: "the file has more than 4 rows; split it into smaller files",
      line: 6,
    });
  });

  it("refuses a single line over 1 MB (generated, 2 MB)", async () => {
    const err = await parseAll(longLineCsv(2 * MB)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "line_too_long", message: "line 2 is longer than 1 MB", line: 2 });
  });

  it("says so when a quote left open swallows the rest of a large file", async () => {
    const bytes = Buffer.from(`phone,note\n+12125550100,"never closed\n${"+12125550101,filler\n".repeat(60_000)}`);
    await expect(parseAll(bytes)).rejects.toThrow("line 2 is longer than 1 MB, or a quote opened on it is never closed");
  });

  it("refuses a file one byte over IMPORT_MAX_BYTES (generated, 50 MB + 1) while streaming", { timeout: 60_000 }, async () => {
    const err = await parseAll(csvOfSize(50 * MB + 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "too_large", message: "file is larger than 50 MB; split it into smaller files" });
  });

  it("accepts a file of exactly IMPORT_MAX_BYTES", { timeout: 60_000 }, async () => {
    await expect(parseAll(csvOfSize(50 * MB))).resolves.toBeDefined();
  });

  it("refuses a header of 1,000,000 columns after its first chunk, naming IMPORT_MAX_COLUMNS (200)", async () => {
    const bomb = columnBombCsv(1_000_000, 3);
    const err = await parseAll(bomb).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "too_many_columns", message: "the header row has more than 200 columns, the most a file may have; remove the columns you do not need" });
    // Of a 4 MB file, no more than the first chunks and the stream's read-ahead were pulled.
    expect(bomb.pulled.bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it("accepts exactly maxColumns columns and refuses one more, quoted delimiters not counted", async () => {
    const header = (n: number) => `phone,${Array.from({ length: n - 1 }, (_, i) => `"c,${i}"`).join(",")}\n+12125550100${",x".repeat(n - 1)}\n`;
    await expect(parseAll(Buffer.from(header(5)), { limits: { maxColumns: 5 } })).resolves.toMatchObject({ leads: [{ phone: "+12125550100" }] });
    await expect(parseAll(Buffer.from(header(6)), { limits: { maxColumns: 5 } })).rejects.toMatchObject({ code: "too_many_columns" });
  });

  it("refuses a single 50 MB line after its first 64 KB (the header size limit), without holding it", async () => {
    const file = singleLineFile(50 * MB);
    const err = await parseAll(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "line_too_long", message: "the header row is longer than 64 KB; shorten the column names" });
    expect(file.pulled.bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it("rejects a row whose variables are over IMPORT_MAX_VARIABLES_BYTES (8 KB) and imports the others", async () => {
    const csv = `phone,name,note\n+12125550100,Big,${"n".repeat(8200)}\n+12125550101,Small,fine\n+12125550100,Same phone,ok\n`;
    const { leads, rejected } = await parseAll(Buffer.from(csv));
    expect(leads.map((l) => [l.line, l.name])).toEqual([
      [3, "Small"],
      [4, "Same phone"], // the rejected row did not claim its phone
    ]);
    expect(rejected).toEqual([
      { line: 2, reason: "its other columns (the lead's variables) take 8211 bytes as JSON, more than the 8 KB allowed per lead", raw: expect.stringMatching(/^\+12125550100,Big,n{8200}$/) },
    ]);
  });

  it("measures the variables as JSON bytes: escapes and multi-byte characters count", async () => {
    const limits = { maxVariablesBytes: 40 };
    // {"v":"…"} is 8 bytes around the value.
    const fits = await parseAll(Buffer.from(`phone,v\n+12125550100,${"é".repeat(16)}\n`), { limits });
    expect(fits.leads).toHaveLength(1);
    const over = await parseAll(Buffer.from(`phone,v\n+12125550100,"${'"'.repeat(34)}"\n`), { limits });
    expect(over.rejected[0]?.reason).toContain("take 42 bytes as JSON");
  });

  it("rejects destinations the account may not call, with the reason, when given a policy", async () => {
    const csv = "phone,name\n+12125550100,US\n+14165550123,Canada\n+442079460958,UK\n+19005550199,Premium US\n";
    const strict = await parseAll(Buffer.from(csv), { destinations: { countries: ["US", "CA"], allowPremium: false } });
    expect(strict.leads.map((l) => l.name)).toEqual(["US", "Canada"]);
    expect(strict.rejected).toEqual([
      { line: 4, reason: "destination country GB is not allowed for this account (allowed: US, CA)", raw: "+442079460958,UK" },
      { line: 5, reason: "premium-rate numbers are not allowed for this account", raw: "+19005550199,Premium US" },
    ]);
    const premium = await parseAll(Buffer.from(csv), { destinations: { countries: ["US", "GB"], allowPremium: true } });
    expect(premium.leads.map((l) => l.name)).toEqual(["US", "UK", "Premium US"]);
  });

  it("stops waiting for a stalled source as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const stalled = (async function* () {
      yield Buffer.from("phone\n+12125550100\n");
      await new Promise(() => {}); // the client never sends another byte
    })();
    setTimeout(() => controller.abort(new Error("deadline")), 50);
    await expect(parseAll(stalled, { signal: controller.signal })).rejects.toThrow("deadline");
  });

  it("refuses more than IMPORT_MAX_ROWS rows (generated, 1,000,001)", { timeout: 300_000 }, async () => {
    const err = await parseAll(leadsCsv({ rows: 1_000_001 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "too_many_rows", message: "the file has more than 1,000,000 rows; split it into smaller files", line: 1_000_002 });
  });
});

describe("preview", () => {
  it("shows the headers, the first rows, the guessed mapping and the delimiter", () => {
    expect(preview(fixture("basic.csv"), 2)).toEqual({
      headers: ["phone", "name", "timezone", "city", "plan"],
      rows: [
        ["+12125550100", "Ada Lovelace", "America/New_York", "New York", "gold"],
        ["(415) 555-0101", "Grace Hopper", "america/los_angeles", "San Francisco", "silver"],
      ],
      delimiter: ",",
      mapping: { phoneColumn: "phone", nameColumn: "name", timezoneColumn: "timezone", variables: ["city", "plan"] },
    });
  });

  it("detects semicolons and still previews a file without a recognisable phone column", () => {
    expect(preview(fixture("semicolon.csv"))).toMatchObject({ delimiter: ";", headers: ["Telefon", "Name", "Stadt", "Betrag"] });
    expect(preview(fixture("missing-phone.csv")).mapping).toEqual({ nameColumn: "name", variables: ["email", "city"] });
  });

  it.each(["utf16le-bom.txt", "utf16be-bom.txt"])("previews %s, also cut at an odd byte", (name) => {
    const bytes = fixture(name);
    // Byte 145 is inside line 3, in the middle of a UTF-16 code unit.
    expect(preview(bytes)).toMatchObject({ delimiter: "\t", headers: ["Phone", "Name", "City", "Notes"], mapping: { phoneColumn: "Phone", nameColumn: "Name" } });
    expect(preview(bytes.subarray(0, 145), 5, { truncated: true }).rows).toEqual([["+12125550160", "Zoë Ünal", "New York", '5" display']]);
  });

  it("refuses a header of more than IMPORT_MAX_COLUMNS columns", () => {
    expect(() => preview(Buffer.from(`phone${",".repeat(500)}\n`), 5, { truncated: true })).toThrow(expect.objectContaining({ code: "too_many_columns" }));
  });

  it("counts delimiters outside quotes only, and reads tabs and single columns", () => {
    expect(preview(Buffer.from('"a;b;c",phone\nx,+12125550100\n')).delimiter).toBe(",");
    expect(preview(Buffer.from("phone\tname\n+12125550100\tAda\n")).delimiter).toBe("\t");
    expect(preview(Buffer.from("\n\nphone\n+12125550100\n"))).toMatchObject({ delimiter: ",", headers: ["phone"], rows: [["+12125550100"]] });
  });

  it("leaves out the row cut off at the end of a truncated sample instead of failing on it", () => {
    const bytes = fixture("quoted-multiline.csv");
    const cut = bytes.subarray(0, bytes.indexOf("Plain") + 12); // inside the quoted three-line note
    expect(preview(cut, 10, { truncated: true }).rows.map((r) => r[1])).toEqual(["Doe, Jane", 'Smith "Smitty" John']);
  });

  it.each([
    ["empty.csv", "empty_file"],
    ["header-only.csv", "no_data_rows"],
    ["binary.csv", "not_utf8"],
    ["latin1.csv", "not_utf8"],
    ["unbalanced-quotes.csv", "malformed_csv"],
  ])("refuses %s (%s)", (name, code) => {
    expect(() => preview(fixture(name))).toThrow(expect.objectContaining({ code }));
  });
});

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

async function parseAll(source: ImportSource | Buffer, options: Partial<ParseOptions> = {}) {
  const input = Buffer.isBuffer(source) ? chunks(source, 64 * 1024) : source;
  const leads: LeadRow[] = [];
  const rejected: RejectedLine[] = [];
  let duplicates = 0;
  let rows = 0;
  for await (const batch of parseLeads(input, { defaultCountry: "US", ...options })) {
    leads.push(...batch.leads);
    rejected.push(...batch.rejected);
    duplicates += batch.duplicates;
    rows = batch.rows;
  }
  return { leads, rejected, duplicates, rows };
}

/** A result or the error, so two runs can be compared whichever way they end. */
async function settle<T>(p: Promise<T>): Promise<T | { error: string }> {
  return p.catch((err: Error) => ({ error: `${(err as ImportError).code}: ${err.message}` }));
}

function chunks(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return Readable.from(parts, { objectMode: false });
}

function webStream(bytes: Buffer, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}
