/** `{name}` placeholders; names are letters, digits and `_`. */
const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

/** The placeholders a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** The placeholders of `template` that are not in `allowed` (empty when the template is fine). */
export function unknownPlaceholders(template: string, allowed: readonly string[]): string[] {
  return placeholdersOf(template).filter((name) => !allowed.includes(name));
}

/**
 * Fills `{name}` placeholders from `values`. A placeholder without a value becomes an empty string
 * (the config check has already refused names the alert type does not offer).
 * @example
 * renderTemplate("{user} raided with {viewers}!", { user: "Ada", viewers: 42 }); // "Ada raided with 42!"
 */
export function renderTemplate(
  template: string,
  values: Record<string, string | number | undefined>,
): string {
  return template
    .replace(PLACEHOLDER, (_whole, name: string) => {
      const value = values[name];
      return value === undefined ? "" : String(value);
    })
    .replace(/\s{2,}/g, " ")
    .trim();
}
