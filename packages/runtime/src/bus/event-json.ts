import type { StarEvent } from "starstreamer";

// The JSON of the event the bus is publishing, when the bus already wrote its data (a custom
// event's size check stringifies it): the router reuses it instead of serialising the data a second
// time. One slot, matched by identity, so a nested emit from a listener can only cause a miss.
let known: StarEvent | null = null;
let knownJson = "";

/**
 * The event's JSON, as `JSON.stringify(event)` writes it, built around `dataJson` (the JSON of
 * `event.data`, already written). For an envelope made by `createEvent` (id, type, source,
 * timestamp, data, in that order).
 */
export function envelopeJson(event: StarEvent, dataJson: string): string {
  return `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"source":${JSON.stringify(event.source)},"timestamp":${JSON.stringify(event.timestamp)},"data":${dataJson}}`;
}

/** Remembers the JSON of the event about to be published (see {@link eventJson}). */
export function rememberEventJson(event: StarEvent, json: string): void {
  known = event;
  knownJson = json;
}

/** Forgets the remembered JSON once its event is published (nothing keeps the event alive). */
export function forgetEventJson(event: StarEvent): void {
  if (known === event) {
    known = null;
    knownJson = "";
  }
}

/** The event's JSON: the remembered one when it is this event's, else freshly stringified. */
export function eventJson(event: StarEvent): string {
  return known === event ? knownJson : JSON.stringify(event);
}
