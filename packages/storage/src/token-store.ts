import type { Kysely, Migration } from "kysely";

/** Which Twitch login a token belongs to: the broadcaster (EventSub, Helix) or the bot (chat). */
export type TwitchTokenAccount = "broadcaster" | "bot";

/** A Twitch login as `starstreamer auth` saves it. Secrets: never log it, never send it to a module. */
export interface StoredTwitchToken {
  account: TwitchTokenAccount;
  userId: string;
  login: string;
  /** The application the token was issued to (a token only works with its own client id). */
  clientId: string;
  accessToken: string;
  refreshToken: string | null;
  scopes: string[];
  /** Seconds the access token was valid for when obtained; `null` when unknown. */
  expiresIn: number | null;
  /** Epoch ms when the access token was obtained. */
  obtainedAt: number;
}

/** What may be shown about a stored login: everything but the tokens. */
export type StoredTwitchLogin = Omit<StoredTwitchToken, "accessToken" | "refreshToken"> & {
  updatedAt: number;
};

/** The `twitch_tokens` table, as Kysely sees it. */
export interface TwitchTokenTables {
  twitch_tokens: {
    account: string;
    user_id: string;
    login: string;
    client_id: string;
    access_token: string;
    refresh_token: string | null;
    /** JSON array of scope names. */
    scopes: string;
    expires_in: number | null;
    obtained_at: number;
    updated_at: number;
  };
}

/** The host migration that creates `twitch_tokens` (one row per account). */
export const createTwitchTokensMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable("twitch_tokens")
      .addColumn("account", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("login", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("access_token", "text", (c) => c.notNull())
      .addColumn("refresh_token", "text")
      .addColumn("scopes", "text", (c) => c.notNull())
      .addColumn("expires_in", "integer")
      .addColumn("obtained_at", "integer", (c) => c.notNull())
      .addColumn("updated_at", "integer", (c) => c.notNull())
      .execute();
  },
};

/** The saved Twitch logins, in the host's database. */
export interface TokenStore {
  get(account: TwitchTokenAccount): Promise<StoredTwitchToken | null>;
  /** Saves (or replaces) the account's login. */
  save(token: StoredTwitchToken): Promise<void>;
  /** Replaces just the tokens of a saved login (after a refresh). */
  updateTokens(
    account: TwitchTokenAccount,
    tokens: Pick<StoredTwitchToken, "accessToken" | "refreshToken" | "scopes" | "expiresIn" | "obtainedAt">,
  ): Promise<void>;
  remove(account: TwitchTokenAccount): Promise<void>;
  /** The saved logins without their tokens, for the banner and the admin page. */
  list(): Promise<StoredTwitchLogin[]>;
}

const ACCOUNTS: readonly string[] = ["broadcaster", "bot"];

function parseScopes(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The token store over a database that ran {@link createTwitchTokensMigration} (the host's
 * database does: it is one of `hostMigrations`).
 * @example
 * const store = await openHostStore(join(dataDir, "starstreamer.db"));
 * const tokens = createTokenStore(store.db);
 * await tokens.get("broadcaster");
 */
export function createTokenStore<DB extends TwitchTokenTables>(database: Kysely<DB>): TokenStore {
  // Any database with the table will do (the host's has more); queries only touch twitch_tokens.
  const db = database as unknown as Kysely<TwitchTokenTables>;
  const check = (account: string) => {
    if (!ACCOUNTS.includes(account))
      throw new TypeError(`unknown Twitch account "${account}"; accepted: broadcaster, bot`);
  };
  return {
    async get(account) {
      check(account);
      const row = await db
        .selectFrom("twitch_tokens")
        .selectAll()
        .where("account", "=", account)
        .executeTakeFirst();
      if (!row) return null;
      return {
        account,
        userId: row.user_id,
        login: row.login,
        clientId: row.client_id,
        accessToken: row.access_token,
        refreshToken: row.refresh_token,
        scopes: parseScopes(row.scopes),
        expiresIn: row.expires_in,
        obtainedAt: row.obtained_at,
      };
    },
    async save(token) {
      check(token.account);
      const row = {
        user_id: token.userId,
        login: token.login,
        client_id: token.clientId,
        access_token: token.accessToken,
        refresh_token: token.refreshToken,
        scopes: JSON.stringify(token.scopes),
        expires_in: token.expiresIn,
        obtained_at: token.obtainedAt,
        updated_at: Date.now(),
      };
      await db
        .insertInto("twitch_tokens")
        .values({ account: token.account, ...row })
        .onConflict((oc) => oc.column("account").doUpdateSet(row))
        .execute();
    },
    async updateTokens(account, tokens) {
      check(account);
      await db
        .updateTable("twitch_tokens")
        .set({
          access_token: tokens.accessToken,
          refresh_token: tokens.refreshToken,
          scopes: JSON.stringify(tokens.scopes),
          expires_in: tokens.expiresIn,
          obtained_at: tokens.obtainedAt,
          updated_at: Date.now(),
        })
        .where("account", "=", account)
        .execute();
    },
    async remove(account) {
      check(account);
      await db.deleteFrom("twitch_tokens").where("account", "=", account).execute();
    },
    async list() {
      const rows = await db
        .selectFrom("twitch_tokens")
        .select([
          "account",
          "user_id",
          "login",
          "client_id",
          "scopes",
          "expires_in",
          "obtained_at",
          "updated_at",
        ])
        .orderBy("account")
        .execute();
      return rows.map((r) => ({
        account: r.account as TwitchTokenAccount,
        userId: r.user_id,
        login: r.login,
        clientId: r.client_id,
        scopes: parseScopes(r.scopes),
        expiresIn: r.expires_in,
        obtainedAt: r.obtained_at,
        updatedAt: r.updated_at,
      }));
    },
  };
}
