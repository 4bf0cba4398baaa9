import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

// Producers and request handlers fail fast when Redis is down instead of queueing commands forever.
export function producerRedis(extra: RedisOptions = {}) {
  return new Redis(env().REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false, ...extra });
}

// BullMQ workers block on Redis and must retry forever.
export function workerRedis(extra: RedisOptions = {}) {
  return new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, ...extra });
}

/**
 * A connection for SUBSCRIBE only. No ready check and no CLIENT SETINFO: ioredis 5 can send those
 * after a (re)subscribe has put the socket in subscriber mode, and Redis refuses them (ioredis#2037).
 */
export function subscriberRedis(extra: RedisOptions = {}) {
  return new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false, disableClientInfo: true, ...extra });
}

const g = globalThis as unknown as { fairdialRedis?: Redis };

/** Shared command connection for the web app (rate limits, engine state, pub/sub publishing). */
export function redis(): Redis {
  g.fairdialRedis ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 2 });
  return g.fairdialRedis;
}

export function key(...parts: (string | number)[]) {
  return [env().QUEUE_PREFIX, ...parts].join(":");
}

/** For scripts and tests that must exit. */
export function closeRedis() {
  g.fairdialRedis?.disconnect();
  g.fairdialRedis = undefined;
}
