// @starstreamer/storage does not export its token store from the package entry yet; until it does,
// the CLI reaches the module directly (one place, so the switch is one line).
export {
  createTokenStore,
  type StoredTwitchToken,
  type TokenStore,
  type TwitchTokenAccount,
} from "../../../../packages/storage/src/token-store.ts";
