/** Something the local chat shows (the shape of `LocalChatOutput` in @starstreamer/plugins). */
export interface AdminChatOutput {
  kind: string;
  text: string;
  replyTo?: string | null;
}

/**
 * The offline chat the admin page types into: the CLI passes its local chat. `input` takes a line
 * as typed in the terminal (`/as alice mod !ping` speaks as a moderator); `onOutput` gives the
 * bot's answers.
 */
export interface AdminChat {
  input(line: string): Promise<void> | void;
  onOutput(listener: (output: AdminChatOutput) => void): () => void;
}
