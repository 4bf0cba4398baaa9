import { db } from "./db";
import { log } from "./log";
import { redis } from "./redis";

export type PartHealth = "ok" | "fail";

/**
 * ok/fail per part and nothing else: /api/health is public, so versions, hostnames and error messages stay in
 * the server log, where an operator reads why a part failed.
 */
export async function checkHealth(): Promise<{ db: PartHealth; redis: PartHealth }> {
  const [dbStatus, redisStatus] = await Promise.all([probe("db", () => db.$queryRaw`SELECT 1`), probe("redis", () => redis().ping())]);
  return { db: dbStatus, redis: redisStatus };
}

async function probe(part: string, check: () => Promise<unknown>, ms = 2000): Promise<PartHealth> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`${part} did not answer within ${ms} ms`)), ms).unref())]);
    return "ok";
  } catch (err) {
    log.warn({ err, part }, "health check failed");
    return "fail";
  }
}
