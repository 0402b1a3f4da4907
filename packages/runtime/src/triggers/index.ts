export {
  type CompiledTriggers,
  type CompileTriggersOptions,
  compileTriggers,
  type RoutedMatch,
  type RouteResult,
  type TriggerResult,
} from "./compile.ts";
export { type CooldownGate, GateLedger, type GateVerdict } from "./cooldown-gate.ts";
export { type CooldownHit, type CooldownSpec, CooldownStore } from "./cooldown-store.ts";
export { createEventView, type EventView } from "./event-view.ts";
export { compileLinearRegex, type LinearRegex } from "./linear-regex.ts";
export { requiredLiteral } from "./regex-literal.ts";
export { type RequiredText, TextFilter } from "./text-filter.ts";
