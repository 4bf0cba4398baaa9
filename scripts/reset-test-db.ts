// Drops everything in the test database and Redis so each test run starts from a fresh schema.
import pg from "pg";
import { Redis } from "ioredis";

const databaseUrl = process.env.DATABASE_URL!;
if (!/test|bench/.test(new URL(databaseUrl).pathname)) {
  console.error(`refusing to reset ${new URL(databaseUrl).pathname}: not a test or bench database`);
  process.exit(1);
}
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
await client.end();
const redis = new Redis(process.env.REDIS_URL!);
await redis.flushdb();
redis.disconnect();
