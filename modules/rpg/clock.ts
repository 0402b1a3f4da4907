/** What the module clock carries across a reload. */
export interface ClockState {
  offsetMs: number;
  frozenAt: number | null;
}

/**
 * The time the rpg module reads for cooldowns and the daily rollover: the real time plus an offset,
 * or a frozen instant. It moves only through `custom.rpg.clock` events, and only when the module's
 * config sets `testClock: true` (tests, rehearsals); otherwise it is the real time.
 */
export class ModuleClock {
  #offsetMs = 0;
  #frozenAt: number | null = null;

  /** Milliseconds since the epoch, as the module sees them. */
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  /** Moves the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  /** Sets the clock to `epochMs`; frozen there (until moved again) or running on from it. */
  set(epochMs: number, options: { freeze?: boolean } = {}): void {
    if (options.freeze) {
      this.#frozenAt = epochMs;
    } else {
      this.#frozenAt = null;
      this.#offsetMs = epochMs - Date.now();
    }
  }

  /** The clock's state, to carry across a reload. */
  get state(): ClockState {
    return { offsetMs: this.#offsetMs, frozenAt: this.#frozenAt };
  }

  /** Takes a state carried across a reload. */
  set state(value: ClockState) {
    this.#offsetMs = value.offsetMs;
    this.#frozenAt = value.frozenAt;
  }
}
