import type { CommandInfo } from "starstreamer";

/** Twitch refuses chat messages over 500 characters. */
export const CHAT_LIMIT = 500;

/** How `!commands` shows one command: its name, and who may use it when not everyone. */
export function commandLabel(info: Pick<CommandInfo, "command" | "userLevel">): string {
  return info.userLevel === null || info.userLevel === "viewer"
    ? info.command
    : `${info.command} (${info.userLevel})`;
}

/**
 * Splits a list into as few chat messages as fit in `limit` characters, breaking only between
 * items: "Commands: a, b" or, when it needs several, "Commands (1/2): a, b" and "Commands (2/2): c".
 * An item too long for any message is cut with "…".
 * @example splitList("Commands", ["!a", "!b"]); // ["Commands: !a, !b"]
 */
export function splitList(title: string, items: readonly string[], limit = CHAT_LIMIT): string[] {
  // Room for the longest header, "Title (99/99): ".
  const room = limit - `${title} (99/99): `.length;
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const raw of items) {
    const item = raw.length > room ? `${raw.slice(0, room - 1)}…` : raw;
    const added = current.length === 0 ? item.length : item.length + 2;
    if (current.length > 0 && length + added > room) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    length += current.length === 0 ? item.length : item.length + 2;
    current.push(item);
  }
  if (current.length > 0) chunks.push(current);
  if (chunks.length <= 1) return [`${title}: ${(chunks[0] ?? []).join(", ")}`];
  return chunks.map((chunk, i) => `${title} (${i + 1}/${chunks.length}): ${chunk.join(", ")}`);
}
