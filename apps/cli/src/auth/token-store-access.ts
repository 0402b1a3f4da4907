// The token store is its own entry of @starstreamer/storage ("@starstreamer/storage/token-store"),
// kept out of the package's main entry; the CLI reaches it here only (one place).
export {
  createTokenStore,
  type StoredTwitchToken,
  type TokenStore,
  type TwitchTokenAccount,
} from "@starstreamer/storage/token-store";
