// The project config: `defineConfig` for starstreamer.config.ts and its schema. Re-exported from
// the package root.
export * from "./project-config.ts";
