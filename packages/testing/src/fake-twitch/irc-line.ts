/** One IRC line as Twitch writes it: IRCv3 tags, a prefix, a command and its parameters. */
export interface IrcLine {
  tags: Record<string, string>;
  prefix?: string;
  command: string;
  params: string[];
}

const ESCAPES: Record<string, string> = { ";": "\\:", " ": "\\s", "\\": "\\\\", "\r": "\\r", "\n": "\\n" };
const UNESCAPES: Record<string, string> = { ":": ";", s: " ", "\\": "\\", r: "\r", n: "\n" };

/** Escapes an IRCv3 tag value (`;` → `\:`, space → `\s`, ...). */
export function escapeTagValue(value: string): string {
  return value.replace(/[; \\\r\n]/g, (c) => ESCAPES[c]!);
}

/** Reverses {@link escapeTagValue}. */
export function unescapeTagValue(value: string): string {
  return value.replace(/\\(.?)/g, (_, c: string) => UNESCAPES[c] ?? c);
}

/** Writes one IRC line (without CRLF); the last of several parameters is the trailing `:` one. */
export function formatIrcLine(line: IrcLine): string {
  const parts: string[] = [];
  const tags = Object.entries(line.tags);
  if (tags.length > 0) parts.push(`@${tags.map(([k, v]) => `${k}=${escapeTagValue(v)}`).join(";")}`);
  if (line.prefix) parts.push(`:${line.prefix}`);
  parts.push(line.command);
  line.params.forEach((param, i) => {
    const last = i === line.params.length - 1;
    // As Twitch writes it: the last of two or more parameters is always the trailing one.
    const trailing = last && (i > 0 || param === "" || param.includes(" ") || param.startsWith(":"));
    parts.push(trailing ? `:${param}` : param);
  });
  return parts.join(" ");
}

/** Parses one IRC line (without CRLF); returns null for an empty line. */
export function parseIrcLine(raw: string): IrcLine | null {
  let rest = raw.trim();
  if (rest === "") return null;
  const tags: Record<string, string> = {};
  if (rest.startsWith("@")) {
    const space = rest.indexOf(" ");
    for (const pair of rest.slice(1, space < 0 ? undefined : space).split(";")) {
      const eq = pair.indexOf("=");
      if (eq < 0) tags[pair] = "";
      else tags[pair.slice(0, eq)] = unescapeTagValue(pair.slice(eq + 1));
    }
    rest = space < 0 ? "" : rest.slice(space + 1).trimStart();
  }
  let prefix: string | undefined;
  if (rest.startsWith(":")) {
    const space = rest.indexOf(" ");
    prefix = rest.slice(1, space < 0 ? undefined : space);
    rest = space < 0 ? "" : rest.slice(space + 1).trimStart();
  }
  const params: string[] = [];
  let command = "";
  while (rest !== "") {
    if (command !== "" && rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(" ");
    const word = space < 0 ? rest : rest.slice(0, space);
    if (command === "") command = word.toUpperCase();
    else params.push(word);
    rest = space < 0 ? "" : rest.slice(space + 1).trimStart();
  }
  if (command === "") return null;
  return prefix === undefined ? { tags, command, params } : { tags, prefix, command, params };
}
