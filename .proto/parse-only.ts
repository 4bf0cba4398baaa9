import fs from "node:fs";
import { parseLeads } from "../lib/imports/parse";
import { leadsCsv, toTempFile } from "../lib/imports/fixtures/generate";
import { copyJson, copyNullable } from "../lib/imports/copy-text";
const file = process.argv[2] ?? await toTempFile(leadsCsv({ rows: 1_000_000 }));
console.log(file);
let peak = 0; const s = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const t = performance.now(); let n = 0; let bytes = 0;
for await (const b of parseLeads(fs.createReadStream(file), { defaultCountry: "US" })) {
  n += b.leads.length;
  if (process.argv[3] === "encode") { let text = ""; for (const lead of b.leads) text += `x\ty\t${lead.line}\t${lead.phone}\t${copyNullable(lead.name)}\t${copyNullable(lead.timezone)}\t${copyJson(lead.variables)}\n`; bytes += text.length; }
}
clearInterval(s);
const m = process.memoryUsage();
console.log(n, ((performance.now() - t) / 1000).toFixed(2), "s; peak rss", (peak / 2 ** 20).toFixed(0), "heapUsed", (m.heapUsed / 2 ** 20).toFixed(0), "heapTotal", (m.heapTotal / 2 ** 20).toFixed(0), "ext", (m.external / 2 ** 20).toFixed(0), "ab", (m.arrayBuffers/2**20).toFixed(0));
