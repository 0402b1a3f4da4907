/**
 * The global the main bundle sets to the file URL of its SDK entry (`dist/bundle/sdk.mjs`), so
 * the project's config imports the very SDK the bundle runs rather than a second copy of it (and
 * of zod) from `starstreamer`'s dist/. Unset when the CLI runs unbundled (from sources, in tests).
 */
export const BUNDLED_SDK_GLOBAL = "starstreamer.bundledSdk";

/** The bundled SDK's file URL, when this process runs the main bundle. */
export function bundledSdkUrl(): string | undefined {
  const url = (globalThis as Record<symbol, unknown>)[Symbol.for(BUNDLED_SDK_GLOBAL)];
  return typeof url === "string" ? url : undefined;
}
