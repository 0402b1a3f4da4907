// The public face of the event system: the envelope, the event map and its schemas, validation,
// and simulated data. Re-exported from the package root.
export * from "./defaults.ts";
export * from "./event.ts";
export * from "./event-map.ts";
export * from "./schemas.ts";
export * from "./validate.ts";
