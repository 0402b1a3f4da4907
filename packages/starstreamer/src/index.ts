/**
 * The StarStreamer SDK: what a module imports as `starstreamer`.
 *
 * @packageDocumentation
 */
export * from "./config/index.ts";
export * from "./errors.ts";
export * from "./events/index.ts";
export * from "./module/index.ts";
export * from "./plugins/index.ts";
export * from "./triggers/index.ts";
