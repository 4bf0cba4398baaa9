// Demo data: a platform admin and two demo tenants with owners. Idempotent; prints the logins.
import { upsertPlatformAdmin } from "@/lib/admin/users";
import { db } from "@/lib/db";
import { signUp } from "@/lib/tenants/mutations";

const PASSWORD = "fairdial-demo-2026";
const DEMO = [
  { organisation: "Acme Solar", name: "Ada Owner", email: "owner@acme.test" },
  { organisation: "Bluebird Clinics", name: "Ben Owner", email: "owner@bluebird.test" },
];

async function main() {
  await upsertPlatformAdmin("admin@fairdial.test", PASSWORD, "Platform admin");
  for (const demo of DEMO) {
    const exists = await db.user.findUnique({ where: { email: demo.email } });
    if (!exists) await signUp({ ...demo, password: PASSWORD });
  }
  console.log("\n  Demo logins (password for all: " + PASSWORD + ")");
  console.log("    platform admin   admin@fairdial.test");
  for (const demo of DEMO) console.log(`    ${demo.organisation.padEnd(16)} ${demo.email}`);
  console.log("");
}

main()
  .then(() => db.$disconnect())
  .catch(async (err) => {
    console.error(err);
    await db.$disconnect();
    process.exit(1);
  });
