import { describe, expect, it } from "vitest";
import { csvField, csvRow, neutraliseCell, safeCsvLine } from "./csv-safe";

describe("neutraliseCell", () => {
  it.each(["=SUM(A1:A9)", "+1+2", "-5", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example")'])(
    "prefixes %j with a single quote",
    (cell) => {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(["", "Ada", "12125550100", "a=b", "5-3", " =1", "'=already"])("leaves %j alone", (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });
});

describe("csvField / csvRow", () => {
  it("quotes only what needs quoting", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("a;b", ";")).toBe('"a;b"');
    expect(csvField("a,b", ";")).toBe("a,b");
  });

  it("joins fields with the delimiter", () => {
    expect(csvRow(["1", "x,y", ""])).toBe('1,"x,y",');
    expect(csvRow(["1", "x;y"], ";")).toBe('1;"x;y"');
  });
});

describe("safeCsvLine", () => {
  it("neutralises, quotes and ends with CRLF", () => {
    expect(safeCsvLine(["3", "too short", '=HYPERLINK("x"),Ada'])).toBe(`3,too short,"'=HYPERLINK(""x""),Ada"\r\n`);
  });
});
