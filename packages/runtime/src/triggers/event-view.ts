import { type StarEvent, type TwitchUser, type UserLevel, userLevelOf } from "starstreamer/internal";

/**
 * What triggers read from an event, computed on first use and shared by every handler evaluated
 * for that event: the text is lower-cased and tokenised once however many handlers look at it.
 * Text-based triggers apply to events whose `data.text` is a string (chat messages).
 */
export interface EventView {
  readonly event: StarEvent;
  /** `data.text`, or `null` when the event has no text. */
  readonly text: string | null;
  /** `text` lower-cased. */
  readonly lowerText: string | null;
  /** The first whitespace-separated word, lower-cased (`"!give"`); `null` without text. */
  readonly firstToken: string | null;
  /** The words after the first one, as written. */
  readonly argTokens: readonly string[];
  /** The text after the first word, trimmed. */
  readonly restText: string;
  /** Where each of `argTokens` starts in `text`, to cut the rest of the message at any word. */
  readonly argOffsets: readonly number[];
  /** The author's level from their chat flags; `"viewer"` when the event carries none. */
  readonly userLevel: UserLevel;
  /** `data.user.id`, or `null` when the event has no author. */
  readonly userId: string | null;
  /** `data.user` when it identifies a Twitch user (id, login, display name), else `null`. */
  readonly user: TwitchUser | null;
}

const EMPTY: readonly string[] = Object.freeze([]);
const NO_OFFSETS: readonly number[] = Object.freeze([]);

function isWhitespace(code: number): boolean {
  // The ASCII fast path covers chat; anything else asks the regex engine what \s means.
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 128) return false;
  return /\s/.test(String.fromCharCode(code));
}

class LazyEventView implements EventView {
  readonly event: StarEvent;
  readonly text: string | null;
  #lowerText: string | null | undefined;
  #firstEnd = -1;
  #firstToken: string | null | undefined;
  #argTokens: readonly string[] | undefined;
  #argOffsets: readonly number[] = NO_OFFSETS;
  #restText: string | undefined;
  #userLevel: UserLevel | undefined;
  #userId: string | null | undefined;
  #user: TwitchUser | null | undefined;

  constructor(event: StarEvent) {
    this.event = event;
    const data = event.data as { text?: unknown } | null | undefined;
    this.text = data !== null && typeof data === "object" && typeof data.text === "string" ? data.text : null;
  }

  get lowerText(): string | null {
    if (this.#lowerText === undefined) this.#lowerText = this.text === null ? null : this.text.toLowerCase();
    return this.#lowerText;
  }

  get firstToken(): string | null {
    if (this.#firstToken === undefined) {
      const text = this.text;
      if (text === null) {
        this.#firstToken = null;
      } else {
        let start = 0;
        while (start < text.length && isWhitespace(text.charCodeAt(start))) start++;
        let end = start;
        while (end < text.length && !isWhitespace(text.charCodeAt(end))) end++;
        this.#firstEnd = end;
        this.#firstToken = text.slice(start, end).toLowerCase();
      }
    }
    return this.#firstToken;
  }

  #tokenize(): void {
    const text = this.text;
    if (text === null || this.firstToken === null) {
      this.#argTokens = EMPTY;
      this.#restText = "";
      return;
    }
    // A scan by character code, not a global regex: `exec` builds a match array per word.
    const tokens: string[] = [];
    const offsets: number[] = [];
    const length = text.length;
    let at = this.#firstEnd;
    while (at < length) {
      while (at < length && isWhitespace(text.charCodeAt(at))) at++;
      if (at === length) break;
      const start = at;
      while (at < length && !isWhitespace(text.charCodeAt(at))) at++;
      tokens.push(text.slice(start, at));
      offsets.push(start);
    }
    this.#argTokens = tokens;
    this.#argOffsets = offsets;
    this.#restText = offsets.length === 0 ? "" : text.slice(offsets[0]).trimEnd();
  }

  get argTokens(): readonly string[] {
    if (this.#argTokens === undefined) this.#tokenize();
    return this.#argTokens!;
  }

  get argOffsets(): readonly number[] {
    if (this.#argTokens === undefined) this.#tokenize();
    return this.#argOffsets;
  }

  get restText(): string {
    if (this.#restText === undefined) this.#tokenize();
    return this.#restText!;
  }

  get userLevel(): UserLevel {
    if (this.#userLevel === undefined) {
      const user = (this.event.data as { user?: unknown } | null | undefined)?.user as
        | { isBroadcaster?: unknown; isModerator?: unknown; isVip?: unknown; isSubscriber?: unknown }
        | null
        | undefined;
      this.#userLevel =
        user !== null &&
        typeof user === "object" &&
        typeof user.isBroadcaster === "boolean" &&
        typeof user.isModerator === "boolean" &&
        typeof user.isVip === "boolean" &&
        typeof user.isSubscriber === "boolean"
          ? userLevelOf(user as Parameters<typeof userLevelOf>[0])
          : "viewer";
    }
    return this.#userLevel;
  }

  get userId(): string | null {
    if (this.#userId === undefined) {
      const user = (this.event.data as { user?: unknown } | null | undefined)?.user as
        | { id?: unknown }
        | null
        | undefined;
      this.#userId =
        user !== null && typeof user === "object" && typeof user.id === "string" ? user.id : null;
    }
    return this.#userId;
  }

  get user(): TwitchUser | null {
    if (this.#user === undefined) {
      const user = (this.event.data as { user?: unknown } | null | undefined)?.user as
        | Partial<TwitchUser>
        | null
        | undefined;
      this.#user =
        user !== null &&
        typeof user === "object" &&
        typeof user.id === "string" &&
        typeof user.login === "string" &&
        typeof user.displayName === "string"
          ? (user as TwitchUser)
          : null;
    }
    return this.#user;
  }
}

/**
 * Wraps an event for trigger evaluation. Create one per event and pass it to every handler's
 * `evaluate`; nothing is computed until a trigger asks for it.
 * @example
 * const view = createEventView(event);
 * for (const handler of handlers) handler.triggers.evaluate(event, view, Date.now());
 */
export function createEventView(event: StarEvent): EventView {
  return new LazyEventView(event);
}
