import { randomBytes } from "node:crypto";

/** A Twitch user the fake knows. */
export interface FakeUser {
  id: string;
  login: string;
  displayName: string;
}

/** An access token the fake accepts, with whom it belongs to and what it may do. */
export interface FakeToken {
  accessToken: string;
  refreshToken: string | null;
  userId: string;
  clientId: string;
  scopes: string[];
  /** Epoch ms; `null` never expires. */
  expiresAt: number | null;
}

/** Every scope the fake knows; tokens minted without a scope list get all of them. */
export const ALL_SCOPES = [
  "bits:read",
  "channel:bot",
  "channel:manage:broadcast",
  "channel:manage:moderators",
  "channel:manage:redemptions",
  "channel:manage:vips",
  "channel:moderate",
  "channel:read:hype_train",
  "channel:read:redemptions",
  "channel:read:subscriptions",
  "channel:read:vips",
  "chat:edit",
  "chat:read",
  "clips:edit",
  "moderation:read",
  "moderator:manage:announcements",
  "moderator:manage:banned_users",
  "moderator:manage:shoutouts",
  "moderator:read:chatters",
  "moderator:read:followers",
  "user:read:chat",
  "user:write:chat",
] as const;

/** A stable numeric id for a login, so the same name is the same user across a test. */
export function idForLogin(login: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < login.length; i++) {
    hash ^= login.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(500_000 + (hash % 400_000_000));
}

/** "ada" → "Ada". */
export function displayNameFor(login: string): string {
  return login.charAt(0).toUpperCase() + login.slice(1);
}

/** Users and tokens shared by the fake's chat, EventSub, Helix and auth parts. */
export class FakeState {
  readonly users = new Map<string, FakeUser>();
  readonly tokens = new Map<string, FakeToken>();
  readonly refreshTokens = new Map<string, FakeToken>();
  /** Access tokens that were revoked or refreshed away: refused even when any token is accepted. */
  readonly revoked = new Set<string>();
  readonly broadcaster: FakeUser;
  /** Accept any unknown access token as the broadcaster's with every scope (mock mode). */
  acceptAnyToken: boolean;

  constructor(broadcaster: FakeUser, acceptAnyToken: boolean) {
    this.broadcaster = broadcaster;
    this.acceptAnyToken = acceptAnyToken;
    this.users.set(broadcaster.login, broadcaster);
  }

  /** The user with this login, created on first use. */
  user(login: string, displayName?: string): FakeUser {
    const normalized = login.toLowerCase().replace(/^@/, "");
    let user = this.users.get(normalized);
    if (!user) {
      user = {
        id: idForLogin(normalized),
        login: normalized,
        displayName: displayName ?? displayNameFor(normalized),
      };
      this.users.set(normalized, user);
    }
    return user;
  }

  userById(id: string): FakeUser | undefined {
    for (const user of this.users.values()) if (user.id === id) return user;
    return undefined;
  }

  /** Mints a token pair for a user. */
  mintToken(
    user: FakeUser,
    options: { scopes?: readonly string[]; clientId?: string; expiresInSeconds?: number | null } = {},
  ): FakeToken {
    const token: FakeToken = {
      accessToken: randomBytes(15).toString("hex"),
      refreshToken: randomBytes(25).toString("hex"),
      userId: user.id,
      clientId: options.clientId ?? "fake-client-id",
      scopes: [...(options.scopes ?? ALL_SCOPES)],
      expiresAt:
        options.expiresInSeconds === null ? null : Date.now() + (options.expiresInSeconds ?? 14_400) * 1000,
    };
    this.addToken(token);
    return token;
  }

  addToken(token: FakeToken): void {
    this.tokens.set(token.accessToken, token);
    if (token.refreshToken) this.refreshTokens.set(token.refreshToken, token);
  }

  /** The token behind an `Authorization` header value (`Bearer x`, `OAuth x`) or a raw token. */
  lookup(header: string | null | undefined): FakeToken | null {
    if (!header) return null;
    const raw = header
      .replace(/^(Bearer|OAuth)\s+/i, "")
      .replace(/^oauth:/, "")
      .trim();
    if (raw === "" || this.revoked.has(raw)) return null;
    const token = this.tokens.get(raw);
    if (token) return token.expiresAt !== null && token.expiresAt < Date.now() ? null : token;
    if (!this.acceptAnyToken) return null;
    return {
      accessToken: raw,
      refreshToken: null,
      userId: this.broadcaster.id,
      clientId: "fake-client-id",
      scopes: [...ALL_SCOPES],
      expiresAt: null,
    };
  }

  /** Lets an access token expire: Twitch refuses it, its refresh token still works. */
  expire(accessToken: string): void {
    this.tokens.delete(accessToken);
    this.revoked.add(accessToken);
  }

  /** Invalidates an access token (and its refresh token). */
  revoke(accessToken: string): void {
    const token = this.tokens.get(accessToken);
    this.tokens.delete(accessToken);
    this.revoked.add(accessToken);
    if (token?.refreshToken) this.refreshTokens.delete(token.refreshToken);
  }
}
