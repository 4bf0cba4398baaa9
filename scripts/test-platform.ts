// The test platform runs without calling hours: tests that dial must not pass or fail by the time of day CI runs
// at. The calling-rules tests bring their own rules (a fake clock and fixed rules, or rows for countries no other
// test dials). A fresh install keeps the migration's US/CA defaults; only test and bench databases get here.
import pg from "pg";

const databaseUrl = process.env.DATABASE_URL!;
if (!/test|bench/.test(new URL(databaseUrl).pathname)) {
  console.error(`refusing to clear calling hours in ${new URL(databaseUrl).pathname}: not a test or bench database`);
  process.exit(1);
}
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
await client.query(`DELETE FROM "CallingRule"`);
await client.end();
