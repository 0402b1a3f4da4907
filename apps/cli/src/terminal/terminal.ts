import { clearLine, createInterface, cursorTo, type Interface } from "node:readline";

/** The terminal a host runs in: prints without garbling what the user is typing, and reads lines. */
export interface Terminal {
  /** True when both ends are a TTY (a prompt is shown and redrawn). */
  readonly interactive: boolean;
  /** Prints a line (or several) above the input line. */
  print(text: string, stream?: "stdout" | "stderr"): void;
  /** Subscribes to typed lines. */
  onLine(listener: (line: string) => void): void;
  /** Ctrl-C typed at the prompt (in a TTY, readline takes it before it becomes a signal). */
  onInterrupt(listener: () => void): void;
  /** Ctrl-D at the prompt (TTY only: piped input ending does not stop the bot). */
  onEnd(listener: () => void): void;
  /** Stops reading input; printing still works. */
  stopInput(): void;
}

/** Creates the terminal over stdin/stdout/stderr (or the given streams, for tests). */
export function createTerminal(
  options: {
    input?: NodeJS.ReadableStream & { isTTY?: boolean };
    output?: NodeJS.WritableStream & { isTTY?: boolean };
    errorOutput?: NodeJS.WritableStream;
    prompt?: string;
    readInput?: boolean;
  } = {},
): Terminal {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errorOutput = options.errorOutput ?? process.stderr;
  const interactive = Boolean(input.isTTY && output.isTTY);
  const lineListeners: Array<(line: string) => void> = [];
  const interruptListeners: Array<() => void> = [];
  const endListeners: Array<() => void> = [];
  let rl: Interface | null = null;
  /** Lines typed before anyone listens (while the bot starts); handed to the first listener. */
  const early: string[] = [];

  if (options.readInput !== false) {
    rl = createInterface({ input, output, terminal: interactive, prompt: options.prompt ?? "> " });
    rl.on("line", (line) => {
      if (lineListeners.length === 0) early.push(line);
      for (const listener of lineListeners) listener(line);
      if (interactive) rl?.prompt();
    });
    rl.on("SIGINT", () => {
      for (const listener of interruptListeners) listener();
    });
    rl.on("close", () => {
      const wasOpen = rl !== null;
      rl = null;
      if (wasOpen && interactive) for (const listener of endListeners) listener();
    });
    if (interactive) rl.prompt();
  }

  return {
    interactive,
    print(text, stream = "stdout") {
      const target = stream === "stderr" ? errorOutput : output;
      if (rl && interactive) {
        // Clear the input line, print, then redraw the prompt with what was typed so far.
        clearLine(output, 0);
        cursorTo(output, 0);
        target.write(`${text}\n`);
        rl.prompt(true);
      } else {
        target.write(`${text}\n`);
      }
    },
    onLine(listener) {
      lineListeners.push(listener);
      for (const line of early.splice(0)) listener(line);
    },
    onInterrupt: (listener) => void interruptListeners.push(listener),
    onEnd: (listener) => void endListeners.push(listener),
    stopInput() {
      const current = rl;
      rl = null;
      if (current) {
        if (interactive) {
          clearLine(output, 0);
          cursorTo(output, 0);
        }
        current.close();
      }
      // Let the process exit although stdin was read.
      if ("pause" in input && typeof input.pause === "function") input.pause();
    },
  };
}
