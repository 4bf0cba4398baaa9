import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import { env } from "./env";

// Every connection is made here, to one Redis (REDIS_URL) or to a Redis Cluster (REDIS_CLUSTER_NODES). The rest of
// the code is written against ioredis's Redis interface, which a Cluster client implements for every command we
// use; all of fairdial's keys share one hash tag (QUEUE_PREFIX is "{fairdial}"), so BullMQ's and our Lua scripts,
// MULTI blocks and pipelines always address one slot, as a cluster requires.

/** Seed nodes of the cluster, "host:port,host:port"; empty = a single Redis at REDIS_URL. */
export function clusterNodes(): { host: string; port: number }[] {
  return env().REDIS_CLUSTER_NODES.map((n) => {
    const [host, port] = n.split(":");
    return { host: host!, port: Number(port) };
  });
}

/** A client for REDIS_URL, or for the cluster, with the given per-connection options. */
export function connectRedis(options: RedisOptions = {}): Redis {
  const nodes = clusterNodes();
  if (nodes.length === 0) return new Redis(env().REDIS_URL, options);
  const { enableOfflineQueue, enableReadyCheck, retryStrategy, ...redisOptions } = options;
  const password = new URL(env().REDIS_URL).password || undefined;
  const cluster: ClusterOptions = {
    redisOptions: { ...redisOptions, ...(password ? { password: decodeURIComponent(password) } : {}) },
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableReadyCheck === undefined ? {} : { enableReadyCheck }),
    // A failover takes the cluster's node timeout plus an election: keep retrying while a replica is promoted.
    clusterRetryStrategy: (times) => (retryStrategy ? (retryStrategy(times) ?? null) : Math.min(100 * times, 2000)),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
  };
  return new Cluster(nodes, cluster) as unknown as Redis;
}

/** The cluster client behind `redis`, when it is one (for per-node commands: SCAN, FLUSHALL). */
export function asCluster(redis: Redis): Cluster | null {
  return redis instanceof Cluster || (redis as unknown as { isCluster?: boolean }).isCluster ? (redis as unknown as Cluster) : null;
}

/** The nodes holding data: the one Redis, or the cluster's masters. */
export function dataNodes(redis: Redis): Redis[] {
  const cluster = asCluster(redis);
  return cluster ? cluster.nodes("master") : [redis];
}

/** FLUSHALL on every node holding data (tests that simulate a Redis wipe). */
export async function flushAll(redis: Redis) {
  await Promise.all(dataNodes(redis).map((n) => n.flushall()));
}

// Producers and request handlers fail fast when Redis is down instead of queueing commands forever.
export function producerRedis(extra: RedisOptions = {}) {
  return connectRedis({ enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false, ...extra });
}

// BullMQ workers block on Redis and must retry forever.
export function workerRedis(extra: RedisOptions = {}) {
  return connectRedis({ maxRetriesPerRequest: null, ...extra });
}

/**
 * A connection for SUBSCRIBE only. No ready check and no CLIENT SETINFO: ioredis 5 can send those
 * after a (re)subscribe has put the socket in subscriber mode, and Redis refuses them (ioredis#2037).
 */
export function subscriberRedis(extra: RedisOptions = {}) {
  return connectRedis({ maxRetriesPerRequest: null, enableReadyCheck: false, disableClientInfo: true, ...extra });
}

const g = globalThis as unknown as { fairdialRedis?: Redis };

/** Shared command connection for the web app (rate limits, engine state, pub/sub publishing). */
export function redis(): Redis {
  g.fairdialRedis ??= connectRedis({ maxRetriesPerRequest: 2 });
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
