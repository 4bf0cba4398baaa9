// npm run admin:create -- --email ops@example.com --password '…'
import { parseArgs } from "node:util";
import { upsertPlatformAdmin } from "@/lib/admin/users";
import { db } from "@/lib/db";
import { serverPasswordSchema } from "@/lib/auth/password-policy";
import { emailSchema } from "@/lib/tenants/schema";

const { values } = parseArgs({ options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } } });
const email = emailSchema.safeParse(values.email ?? "");
const password = serverPasswordSchema.safeParse(values.password ?? "");
if (!email.success || !password.success) {
  console.error("usage: npm run admin:create -- --email you@example.com --password <at least 10 characters>");
  for (const r of [email, password]) if (!r.success) console.error(`  ${r.error.issues[0]!.message}`);
  process.exit(2);
}
const user = await upsertPlatformAdmin(email.data, password.data, values.name);
console.log(`platform admin ready: ${user.email}`);
await db.$disconnect();
