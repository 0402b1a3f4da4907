import type { DeliveryEntry } from "../worker/protocol.ts";

// The wire format of one queue entry: one event for one module, with the handlers (id, match) it
// goes to. Serialised once on the host and parsed once in the worker; the event's JSON is shared by
// every module that takes it.

/** Encodes an entry from the event's JSON (already stringified once) and its hits. */
export function encodeEntry(eventJson: string, hits: ReadonlyArray<readonly [number, unknown]>): string {
  return entryOf(eventJson, hits.map(([id, match]) => encodeHit(id, match)).join(","));
}

/** One hit, `[handlerId, match]`, as JSON (what `JSON.stringify([id, match])` writes). */
export function encodeHit(id: number, match: unknown): string {
  return hitOf(id, JSON.stringify(match) ?? "null");
}

/** One hit from its handler id and its match's JSON, already written. */
export function hitOf(id: number, matchJson: string): string {
  return `[${id},${matchJson}]`;
}

/**
 * An entry from the event's JSON and its hits' JSON ({@link encodeHit}, comma-separated): the
 * router builds the text directly, without an array of hits per event.
 */
export function entryOf(eventJson: string, hitsJson: string): string {
  const entry = `{"e":${eventJson},"h":[${hitsJson}]}`;
  // Reading a character makes V8 flatten the rope (JSON.stringify's parts and these pieces) into
  // one string now: a queued entry is then one object for the young GC to copy, not a dozen, and
  // the batch join copies flat text (a flood costs ~15% less CPU in all, GC threads included).
  entry.charCodeAt(0);
  return entry;
}

/** Decodes an entry (the worker does the same for each entry of a batch). */
export function decodeEntry(json: string): DeliveryEntry {
  return JSON.parse(json) as DeliveryEntry;
}

/**
 * Rewrites an entry for a new handler table: `newId[oldId]` is the new id, or -1 when the handler
 * is gone. Returns the new JSON (null when no handler is left) and how many hits were dropped.
 */
export function remapEntry(json: string, newId: readonly number[]): { json: string | null; dropped: number } {
  const entry = decodeEntry(json);
  let dropped = 0;
  entry.h = entry.h.flatMap(([id, match]): DeliveryEntry["h"] => {
    const mapped = newId[id] ?? -1;
    if (mapped < 0) dropped++;
    return mapped < 0 ? [] : [[mapped, match]];
  });
  return { json: entry.h.length > 0 ? JSON.stringify(entry) : null, dropped };
}
