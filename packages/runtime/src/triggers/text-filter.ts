import type { EventView } from "./event-view.ts";

/**
 * Text a handler cannot pass without: at least one of `words` occurs in the message, looked for in
 * the lower-cased text (`EventView.lowerText`) when `lowerCase`, else in the text as written. A
 * keyword trigger requires one of its words; a regex trigger the literal its pattern requires.
 */
export interface RequiredText {
  readonly words: readonly string[];
  readonly lowerCase: boolean;
}

const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

/** The hash of the two characters at `i`: unique for ASCII pairs, collisions are re-checked. */
function pairHash(text: string, i: number): number {
  return ((text.charCodeAt(i) << 7) ^ text.charCodeAt(i + 1)) & TABLE_MASK;
}

/** Windows longer than this gain little: a skip is at most this minus one characters. */
const MAX_WINDOW = 8;

/**
 * Literals of one kind (lower-case or as written), searched for all at once with Wu-Manber's
 * method: the scan looks at the last two characters of a window as long as the shortest literal
 * and skips ahead by as much as those two characters allow (most pairs of a chat line appear in no
 * literal's first characters, so it moves several characters at a time); only a window whose end
 * matches some literal's is checked with `startsWith`.
 */
class PairIndex {
  /** Per pair hash: how far the window may move on when its last two characters hash there. */
  readonly #shift = new Uint8Array(1 << TABLE_BITS);
  /** Per pair hash: the literals whose first `#window` characters end with such a pair. */
  readonly #buckets = new Map<number, number[]>();
  readonly #literals: string[];
  readonly #ids: number[];
  readonly #window: number;

  /** `literals[i]` is literal `ids[i]`; every literal has at least two characters. */
  constructor(literals: string[], ids: number[]) {
    this.#literals = literals;
    this.#ids = ids;
    const window = Math.min(MAX_WINDOW, ...literals.map((l) => l.length));
    this.#window = window;
    this.#shift.fill(window - 1);
    literals.forEach((literal, k) => {
      // The pair ending at j + 1 of the window may be j + 2 characters into an occurrence.
      for (let j = 0; j <= window - 2; j++) {
        const hash = pairHash(literal, j);
        this.#shift[hash] = Math.min(this.#shift[hash]!, window - 2 - j);
      }
      const hash = pairHash(literal, window - 2);
      const bucket = this.#buckets.get(hash);
      if (bucket) bucket.push(k);
      else this.#buckets.set(hash, [k]);
    });
  }

  get size(): number {
    return this.#literals.length;
  }

  /** Calls `found` with the id of each literal that occurs in `text` (once or more per literal). */
  scan(text: string, found: (id: number) => void): void {
    const back = this.#window - 2;
    const last = text.length - 1;
    let at = back; // where the last pair of the current window starts
    while (at < last) {
      const hash = pairHash(text, at);
      const shift = this.#shift[hash]!;
      if (shift > 0) {
        at += shift;
        continue;
      }
      const start = at - back;
      for (const k of this.#buckets.get(hash)!) {
        if (text.startsWith(this.#literals[k]!, start)) found(this.#ids[k]!);
      }
      at++;
    }
  }
}

/**
 * The pre-filter for handlers that every chat message is a candidate for (keywords, regexes,
 * function triggers): one pass over the message finds every required literal of every handler at
 * once, so a line that contains none of them costs a scan of its characters, not one search per
 * handler, and a regex whose literal is absent never reaches the regex engine. A handler without
 * {@link RequiredText} (or with a one-character word) is always a candidate. Only narrows: each
 * candidate still runs its full `evaluate`.
 * @example
 * const filter = new TextFilter(handlers.map((h) => h.triggers.requiredText));
 * if (filter.scan(view) > 0) for (let i = 0; i < handlers.length; i++) if (filter.may(i)) evaluate(i);
 */
export class TextFilter {
  readonly #always: Uint8Array;
  readonly #alwaysCount: number;
  /** Per literal id: the entries that require it. */
  readonly #owners: number[][] = [];
  readonly #lower: PairIndex;
  readonly #exact: PairIndex;
  /** Per entry / per literal: the scan that last found it. */
  readonly #entryMark: Uint32Array;
  readonly #literalMark: Uint32Array;
  #epoch = 0;
  #count = 0;
  readonly #onFound = (id: number) => this.#found(id);

  /** One entry per handler, in the order the caller evaluates them. */
  constructor(requirements: ReadonlyArray<RequiredText | null>) {
    this.#always = new Uint8Array(requirements.length);
    const ids = new Map<string, number>();
    const lower: { literals: string[]; ids: number[] } = { literals: [], ids: [] };
    const exact: { literals: string[]; ids: number[] } = { literals: [], ids: [] };
    let always = 0;
    requirements.forEach((required, entry) => {
      if (required === null || required.words.length === 0 || required.words.some((w) => w.length < 2)) {
        this.#always[entry] = 1;
        always++;
        return;
      }
      for (const word of required.words) {
        const key = `${required.lowerCase ? "l" : "e"}:${word}`;
        let id = ids.get(key);
        if (id === undefined) {
          id = this.#owners.length;
          ids.set(key, id);
          this.#owners.push([]);
          const kind = required.lowerCase ? lower : exact;
          kind.literals.push(word);
          kind.ids.push(id);
        }
        const owners = this.#owners[id]!;
        if (owners[owners.length - 1] !== entry) owners.push(entry);
      }
    });
    this.#alwaysCount = always;
    this.#lower = new PairIndex(lower.literals, lower.ids);
    this.#exact = new PairIndex(exact.literals, exact.ids);
    this.#entryMark = new Uint32Array(requirements.length);
    this.#literalMark = new Uint32Array(this.#owners.length);
  }

  /** Finds the literals in this event's text; returns how many entries may pass (see {@link may}). */
  scan(view: EventView): number {
    if (this.#epoch === 0xffffffff) {
      this.#epoch = 0;
      this.#entryMark.fill(0);
      this.#literalMark.fill(0);
    }
    this.#epoch++;
    this.#count = this.#alwaysCount;
    if (this.#lower.size > 0) {
      const lower = view.lowerText;
      if (lower !== null) this.#lower.scan(lower, this.#onFound);
    }
    if (this.#exact.size > 0) {
      const text = view.text;
      if (text !== null) this.#exact.scan(text, this.#onFound);
    }
    return this.#count;
  }

  /** Whether entry `i` may pass the event of the last {@link scan}. */
  may(i: number): boolean {
    return this.#always[i] === 1 || this.#entryMark[i] === this.#epoch;
  }

  #found(id: number): void {
    if (this.#literalMark[id] === this.#epoch) return;
    this.#literalMark[id] = this.#epoch;
    for (const entry of this.#owners[id]!) {
      if (this.#entryMark[entry] !== this.#epoch) {
        this.#entryMark[entry] = this.#epoch;
        this.#count++;
      }
    }
  }
}
