import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { RejectSpool } from "./reject-spool";

async function readAll(spool: RejectSpool): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await spool.read()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function spoolDirs() {
  return readdirSync(os.tmpdir()).filter((d) => d.startsWith("fairdial-import-"));
}

describe("RejectSpool", () => {
  it("starts empty and gives back small appends from memory", async () => {
    const spool = new RejectSpool();
    expect(spool.empty).toBe(true);
    await spool.append("");
    expect(spool.empty).toBe(true);
    await spool.append("c1\t3\ttoo short\t123\n");
    await spool.append("c1\t4\tempty\t,x\n");
    expect(spool.empty).toBe(false);
    expect(await readAll(spool)).toBe("c1\t3\ttoo short\t123\nc1\t4\tempty\t,x\n");
    await spool.dispose();
  });

  it("spills to a temp file past 4 MB, keeps the order, and removes the file on dispose", { timeout: 30_000 }, async () => {
    const before = new Set(spoolDirs());
    const spool = new RejectSpool();
    const line = (i: number) => `c1\t${i}\tnot a valid phone number for US\t${"ü".repeat(40)},${i}\n`;
    let expected = "";
    let created: string[] = [];
    try {
      for (let i = 0; i < 60_000; i++) {
        expected += line(i);
        await spool.append(line(i));
      }
      created = spoolDirs().filter((d) => !before.has(d));
      expect(created).toHaveLength(1);
      expect(await readAll(spool)).toBe(expected);
    } finally {
      await spool.dispose();
    }
    expect(existsSync(`${os.tmpdir()}/${created[0]}`)).toBe(false);
  });
});
