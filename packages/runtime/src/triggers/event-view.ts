import { type StarEvent, type TwitchUser, type UserLevel, userLevelOf } from "starstreamer/internal";
import { type ArgWords, argWords, firstWordStart, restOf, wordEnd } from "./command-text.ts";

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
  /** `argTokens` and `argOffsets` together, as `command-text.ts` parses them. */
  readonly words: ArgWords;
  /** The author's level from their chat flags; `"viewer"` when the event carries none. */
  readonly userLevel: UserLevel;
  /** `data.user.id`, or `null` when the event has no author. */
  readonly userId: string | null;
  /** `data.user` when it identifies a Twitch user (id, login, display name), else `null`. */
  readonly user: TwitchUser | null;
}

class LazyEventView implements EventView {
  readonly event: StarEvent;
  readonly text: string | null;
  #lowerText: string | null | undefined;
  #firstEnd = -1;
  #firstToken: string | null | undefined;
  #words: ArgWords | undefined;
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
        const start = firstWordStart(text);
        const end = wordEnd(text, start);
        this.#firstEnd = end;
        this.#firstToken = text.slice(start, end).toLowerCase();
      }
    }
    return this.#firstToken;
  }

  /** The words after the first one (see `command-text.ts`, which the worker's rebuild shares). */
  get words(): ArgWords {
    if (this.#words === undefined) {
      const text = this.text;
      this.#words =
        text === null || this.firstToken === null ? argWords("", 0) : argWords(text, this.#firstEnd);
    }
    return this.#words;
  }

  get argTokens(): readonly string[] {
    return this.words.tokens;
  }

  get argOffsets(): readonly number[] {
    return this.words.offsets;
  }

  get restText(): string {
    if (this.#restText === undefined)
      this.#restText = this.text === null ? "" : restOf(this.text, this.words);
    return this.#restText;
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
