// One database poll per live snapshot per interval, whatever the number of viewers and of web processes.
//
// In a process, the viewers of one key (`campaign:<tenantId>:<campaignId>`, `tenant:<tenantId>`, `admin`) share a
// topic: one timer, every change fanned out to every subscriber, the timer stopped once the last one has left.
// Across processes, each interval ("slot") of a key has one leader, whoever wins SET NX on that slot's lock in
// Redis: it runs the query, caches the result for a few intervals and publishes it; the other processes deliver
// what it published. Without Redis each process polls on its own, which is still one query per process.
//
// A key's slots start at an offset derived from the key, the same in every process, so that many campaigns are
// polled spread over the interval rather than all in the same millisecond.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { NotFoundError } from "../errors";
import { log } from "../log";

export type LiveEvent = { kind: "snapshot"; data: string } | { kind: "gone" };
export type LiveListener = (event: LiveEvent) => void;

/** A follower that heard nothing for this many slots (e.g. while its subscriber reconnected) reads the cache. */
const STALE_SLOTS = 2;
/** New viewers start from the cached snapshot when it is at most this many intervals old. */
const CACHE_SLOTS = 3;
const REDIS_DOWN_LOG_MS = 60_000;

export interface HubOptions {
  redis: Redis;
  /** A connection of its own: a connection in subscriber mode can run nothing else. */
  subscriber: Redis;
  /** Redis key prefix, e.g. `fairdial:live`. */
  prefix: string;
  intervalMs?: number;
}

interface Topic {
  key: string;
  channel: string;
  /** The first subscriber's loader; every loader of one key must return the same data (the key says which). */
  load: () => Promise<unknown>;
  listeners: Set<LiveListener>;
  last: LiveEvent | null;
  lastSlot: number;
  ready?: Promise<LiveEvent>;
  timer?: ReturnType<typeof setTimeout>;
  /** The slot the timer is armed for. */
  nextSlot: number;
}

export class SnapshotHub {
  private readonly topics = new Map<string, Topic>();
  private readonly byChannel = new Map<string, Topic>();
  private readonly intervalMs: number;
  private readonly id = randomUUID();
  private redisDownLoggedAt = 0;
  private readonly onMessage = (channel: string, message: string) => {
    const topic = this.byChannel.get(channel);
    const parsed = parsePayload(message);
    if (topic && parsed) this.deliver(topic, parsed.slot, parsed.event);
  };

  constructor(private readonly opts: HubOptions) {
    this.intervalMs = opts.intervalMs ?? 1000;
    opts.subscriber.on("message", this.onMessage);
  }

  /** The current snapshot of `key`: this process's latest, else a recent one from Redis, else a fresh load. */
  snapshot(key: string, load: () => Promise<unknown>): Promise<LiveEvent> {
    const topic = this.topic(key, load);
    return topic.last ? Promise.resolve(topic.last) : this.ready(topic);
  }

  /** Calls `listener` with the current snapshot, then with every change; returns the unsubscribe function. */
  subscribe(key: string, load: () => Promise<unknown>, listener: LiveListener): () => void {
    const topic = this.topic(key, load);
    topic.listeners.add(listener);
    if (topic.last) listener(topic.last);
    else this.ready(topic).catch(() => {}); // logged by the first tick that fails too; the ticks retry
    return () => {
      topic.listeners.delete(listener);
    };
  }

  /** Topics with at least one subscriber in this process. */
  activeKeys(): string[] {
    return [...this.topics.values()].filter((t) => t.listeners.size > 0).map((t) => t.key);
  }

  close() {
    for (const topic of [...this.topics.values()]) this.drop(topic);
    this.opts.subscriber.off("message", this.onMessage);
  }

  private topic(key: string, load: () => Promise<unknown>): Topic {
    let topic = this.topics.get(key);
    if (!topic) {
      topic = { key, channel: `${this.opts.prefix}:ch:${key}`, load, listeners: new Set(), last: null, lastSlot: -1, nextSlot: 0 };
      this.topics.set(key, topic);
      this.byChannel.set(topic.channel, topic);
      this.opts.subscriber.subscribe(topic.channel).catch((err) => this.redisDown(err));
      this.schedule(topic);
    }
    return topic;
  }

  private ready(topic: Topic): Promise<LiveEvent> {
    topic.ready ??= this.first(topic).catch((err) => {
      topic.ready = undefined; // the next viewer tries again rather than inheriting a failure
      throw err;
    });
    return topic.ready;
  }

  private async first(topic: Topic): Promise<LiveEvent> {
    const cached = parsePayload(await this.opts.redis.get(this.cacheKey(topic.key)).catch(() => null));
    if (cached && cached.slot >= this.slotOf(topic.key) - CACHE_SLOTS) {
      this.deliver(topic, cached.slot, cached.event);
    } else {
      const slot = this.slotOf(topic.key);
      const event = await loadEvent(topic.load);
      this.deliver(topic, slot, event);
      await this.share(topic, slot, event);
    }
    return topic.last!;
  }

  /** Arms the timer for the slot after `slot`. */
  private schedule(topic: Topic, slot = this.slotOf(topic.key)) {
    topic.nextSlot = slot + 1;
    const startsAt = topic.nextSlot * this.intervalMs + offsetOf(topic.key, this.intervalMs);
    topic.timer = setTimeout(() => void this.tick(topic), Math.max(0, startsAt - Date.now()));
    topic.timer.unref?.();
  }

  private async tick(topic: Topic) {
    if (topic.listeners.size === 0 || topic.last?.kind === "gone") return this.drop(topic);
    // A timer may fire a millisecond early: it is still the slot it was armed for (or a later one, when late).
    const slot = Math.max(this.slotOf(topic.key), topic.nextSlot);
    // The first snapshot is still on its way: it is this slot's load.
    if (!topic.last && topic.ready) return this.schedule(topic, slot);
    try {
      if (await this.lead(topic.key, slot)) {
        const event = await loadEvent(topic.load);
        this.deliver(topic, slot, event);
        await this.share(topic, slot, event);
      } else if (topic.lastSlot < slot - STALE_SLOTS) {
        const cached = parsePayload(await this.opts.redis.get(this.cacheKey(topic.key)));
        if (cached) this.deliver(topic, cached.slot, cached.event);
      }
    } catch (err) {
      log.warn({ err, key: topic.key }, "live snapshot failed; retrying next interval");
    }
    if (this.topics.get(topic.key) === topic) this.schedule(topic, slot);
  }

  /** Whether this process runs the query of `slot`. */
  private async lead(key: string, slot: number): Promise<boolean> {
    try {
      const won = await this.opts.redis.set(`${this.opts.prefix}:lock:${key}:${slot}`, this.id, "PX", 2 * this.intervalMs, "NX");
      return won === "OK";
    } catch (err) {
      this.redisDown(err);
      return true;
    }
  }

  private async share(topic: Topic, slot: number, event: LiveEvent) {
    const payload = `${slot} ${event.kind === "gone" ? "gone" : event.data}`;
    try {
      await this.opts.redis.multi().set(this.cacheKey(topic.key), payload, "PX", CACHE_SLOTS * this.intervalMs).publish(topic.channel, payload).exec();
    } catch (err) {
      this.redisDown(err);
    }
  }

  /** Fans out `event` if it is newer than what this topic has and differs from it. */
  private deliver(topic: Topic, slot: number, event: LiveEvent) {
    if (slot < topic.lastSlot) return;
    topic.lastSlot = slot;
    if (topic.last && sameEvent(topic.last, event)) return;
    topic.last = event;
    for (const listener of [...topic.listeners]) {
      try {
        listener(event);
      } catch (err) {
        log.warn({ err, key: topic.key }, "live listener failed");
      }
    }
  }

  private drop(topic: Topic) {
    clearTimeout(topic.timer);
    if (this.topics.get(topic.key) === topic) this.topics.delete(topic.key);
    if (this.byChannel.get(topic.channel) === topic) {
      this.byChannel.delete(topic.channel);
      this.opts.subscriber.unsubscribe(topic.channel).catch(() => {});
    }
  }

  private slotOf(key: string, now = Date.now()) {
    return Math.floor((now - offsetOf(key, this.intervalMs)) / this.intervalMs);
  }

  private cacheKey(key: string) {
    return `${this.opts.prefix}:snap:${key}`;
  }

  private redisDown(err: unknown) {
    if (Date.now() - this.redisDownLoggedAt < REDIS_DOWN_LOG_MS) return;
    this.redisDownLoggedAt = Date.now();
    log.warn({ err }, "live views cannot reach Redis; each web process polls on its own until it is back");
  }
}

async function loadEvent(load: () => Promise<unknown>): Promise<LiveEvent> {
  try {
    return { kind: "snapshot", data: JSON.stringify(await load()) };
  } catch (err) {
    if (err instanceof NotFoundError) return { kind: "gone" };
    throw err;
  }
}

function sameEvent(a: LiveEvent, b: LiveEvent) {
  return a.kind === b.kind && (a.kind === "gone" || a.data === (b as { data: string }).data);
}

/** `<slot> <snapshot JSON | gone>` */
function parsePayload(payload: string | null): { slot: number; event: LiveEvent } | null {
  if (!payload) return null;
  const space = payload.indexOf(" ");
  const slot = Number(payload.slice(0, space));
  if (space < 0 || !Number.isInteger(slot)) return null;
  const body = payload.slice(space + 1);
  return { slot, event: body === "gone" ? { kind: "gone" } : { kind: "snapshot", data: body } };
}

/** FNV-1a of the key, folded into [0, intervalMs). */
function offsetOf(key: string, intervalMs: number) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % intervalMs;
}
