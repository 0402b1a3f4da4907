/**
 * Test kit for StarStreamer modules: load a module into a real host (real worker) with fake
 * plugins, emit events, and read what it sent and emitted.
 *
 * @packageDocumentation
 */

export * from "./fake-obs/index.ts";
export {
  FakeObs,
  FakeTwitch,
  type ObsCall,
  Recorder,
  type SentMessage,
  type TwitchAction,
} from "./fake-plugins.ts";
export * from "./fake-twitch/index.ts";
export { createTestHost, type TestHost, type TestHostOptions } from "./test-host.ts";
export { waitUntil } from "./wait-until.ts";
