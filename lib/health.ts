import { db } from "./db";
import { redis } from "./redis";

type Status = "ok" | string;

export async function checkHealth(): Promise<{ db: Status; redis: Status }> {
  const [dbStatus, redisStatus] = await Promise.all([
    withTimeout(db.$queryRaw`SELECT 1`, "db").then(() => "ok", (e: Error) => `error: ${e.message}`),
    withTimeout(redis().ping(), "redis").then(() => "ok", (e: Error) => `error: ${e.message}`),
  ]);
  return { db: dbStatus, redis: redisStatus };
}

function withTimeout<T>(p: Promise<T>, what: string, ms = 2000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);
}
