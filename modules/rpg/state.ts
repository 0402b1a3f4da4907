import { ModuleClock } from "./clock.ts";
import type { Economy } from "./economy.ts";

/** The module's clock (real time unless `testClock` lets `custom.rpg.clock` move it). */
export const clock = new ModuleClock();

let current: Economy | undefined;

/** The economy over this worker's database, set by `initialize`. */
export function economy(): Economy {
  if (current === undefined) throw new Error("rpg: the economy is used before initialize opened it");
  return current;
}

/** Called once by `initialize`. */
export function setEconomy(value: Economy): void {
  current = value;
}
