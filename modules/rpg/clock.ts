/**
 * The time the rpg module reads for cooldowns and the daily rollover: the real time plus an offset.
 * The offset moves only through `custom.rpg.clock` events, and only when the module's config sets
 * `testClock: true` (tests, rehearsals); otherwise it stays 0.
 */
export class ModuleClock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, as the module sees them. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Moves the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  /** Sets the clock to `epochMs` from now on (it keeps running from there). */
  set(epochMs: number): void {
    this.#offsetMs = epochMs - Date.now();
  }

  /** The current offset from real time, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Puts the offset back (e.g. carried across a reload). */
  set offsetMs(value: number) {
    this.#offsetMs = value;
  }
}
