export {
  type CompiledTriggers,
  type CompileTriggersOptions,
  compileTriggers,
  type TriggerResult,
} from "./compile.ts";
export { type CooldownHit, type CooldownSpec, CooldownStore } from "./cooldown-store.ts";
export { createEventView, type EventView } from "./event-view.ts";
