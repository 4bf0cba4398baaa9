// Imported first by seed.ts: the demo seed creates logins whose password is in the README, so it never runs in
// production unless someone asks for it explicitly (a throwaway staging box, say).
const production = process.env.NODE_ENV === "production";
const allowed = ["1", "true", "yes", "on"].includes((process.env.ALLOW_DEMO_SEED ?? "").toLowerCase());
if (production && !allowed) {
  console.error("The demo seed does not run with NODE_ENV=production: it creates logins with a published password. Set ALLOW_DEMO_SEED=1 to run it anyway.");
  process.exit(1);
}
console.error(`Seeding DEMO data (demo tenants and logins with a published password)${production ? " in production, because ALLOW_DEMO_SEED is set" : ""}.`);
