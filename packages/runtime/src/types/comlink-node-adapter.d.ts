// Comlink has no exports map, so its Node adapter is imported by file; this gives it its types.
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";

  export interface NodeEndpoint {
    // biome-ignore lint/suspicious/noExplicitAny: mirrors Comlink's own declaration
    postMessage(message: any, transfer?: any[]): void;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    on(type: string, listener: (...args: any[]) => void): void;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    off(type: string, listener: (...args: any[]) => void): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
