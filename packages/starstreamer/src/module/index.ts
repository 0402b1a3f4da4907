export * from "./base-module.ts";
export * from "./context.ts";
export * from "./define-module.ts";
export * from "./scope.ts";
