import fs from "node:fs";
import { parseLeads, preview } from "/work/main/lib/imports/parse";
const dir = "/work/main/lib/imports/fixtures/";
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".csv"))) {
  try {
    const out = { leads: [] as unknown[], rejected: [] as unknown[], duplicates: 0 };
    for await (const b of parseLeads(fs.createReadStream(dir + f, { highWaterMark: 7 }), { defaultCountry: "US", mapping: f === "semicolon.csv" ? { phoneColumn: "Telefon", nameColumn: "Name" } : undefined })) {
      out.leads.push(...b.leads); out.rejected.push(...b.rejected); out.duplicates += b.duplicates;
    }
    console.log("==", f, JSON.stringify(out, null, 0));
  } catch (e) { console.log("==", f, "ERROR", (e as any).code, (e as Error).message); }
  try { const p = preview(fs.readFileSync(dir + f), 2); console.log("   preview", JSON.stringify(p)); } catch (e) { console.log("   preview ERROR", (e as any).code, (e as Error).message); }
}
