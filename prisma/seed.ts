// Demo data: a platform admin, two demo tenants with owners, and a draft campaign each, ready to start.
// Idempotent; prints the logins. Refused in production (see demo-guard.ts).
import "./demo-guard";
import { Readable } from "node:stream";
import { upsertPlatformAdmin } from "@/lib/admin/users";
import { db } from "@/lib/db";
import { importCampaign } from "@/lib/imports/import";
import { closePgPool } from "@/lib/pg";
import { signUp } from "@/lib/tenants/mutations";

const PASSWORD = "fairdial-demo-2026";
const DEMO = [
  { organisation: "Acme Solar", name: "Ada Owner", email: "owner@acme.test", campaign: "Solar panel follow-ups", leads: 300, areaCodes: ["212", "312", "808"] },
  { organisation: "Bluebird Clinics", name: "Ben Owner", email: "owner@bluebird.test", campaign: "Appointment reminders", leads: 40, areaCodes: ["415"] },
];

async function main() {
  await upsertPlatformAdmin("admin@fairdial.test", PASSWORD, "Platform admin");
  for (const demo of DEMO) {
    let user = await db.user.findUnique({ where: { email: demo.email } });
    if (!user) {
      user = (await signUp({ organisation: demo.organisation, name: demo.name, email: demo.email, password: PASSWORD })).user;
      // Unlike a real signup, the demo tenants are approved and uncapped: the point of the demo is two tenants
      // competing for the same caller lines, which the new-tenant caps would take away.
      await db.tenant.update({ where: { id: user.tenantId }, data: { approvedAt: new Date(), maxConcurrent: null, maxCps: null } });
    }
    const hasCampaign = await db.campaign.count({ where: { tenantId: user.tenantId } });
    if (!hasCampaign) {
      await importCampaign({ tenantId: user.tenantId, options: { name: demo.campaign, defaultCountry: "US" }, source: Readable.from([demoCsv(demo.leads, demo.areaCodes)]) });
    }
  }
  console.log("\n  Demo logins (password for all: " + PASSWORD + ")");
  console.log("    platform admin   admin@fairdial.test");
  for (const demo of DEMO) console.log(`    ${demo.organisation.padEnd(16)} ${demo.email}   (draft campaign "${demo.campaign}", ${demo.leads} leads)`);
  console.log("  Calling hours apply (US: 08:00–21:00 in each lead's local time); outside them the dashboard says when calls resume.");
  console.log("");
}

/**
 * Numbers in the 555-01xx range reserved for fiction: 100 per area code, then the next one. The area codes span
 * New York to Honolulu, so some of the demo is inside US calling hours (08:00–21:00 local) 18 hours a day.
 */
function demoCsv(rows: number, areaCodes: string[]) {
  const first = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Tim", "Barbara", "Dennis", "Radia"];
  const lines = ["phone,name,city,plan"];
  for (let i = 0; i < rows; i++) {
    const code = areaCodes[Math.floor(i / 100) % areaCodes.length];
    lines.push(`+1${code}55501${String(i % 100).padStart(2, "0")},${first[i % first.length]} ${i + 1},Springfield,${i % 3 === 0 ? "gold" : "silver"}`);
  }
  return lines.join("\n") + "\n";
}

main()
  .then(async () => {
    await closePgPool();
    await db.$disconnect();
  })
  .catch(async (err) => {
    console.error(err);
    await db.$disconnect();
    process.exit(1);
  });
