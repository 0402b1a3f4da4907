import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { type Plugin, transform } from "esbuild";

/** The module the bundle's rewritten files import {@link packageFile} from. */
export const META_MODULE = "starstreamer-bundle:meta";

/**
 * The virtual module's code: where a file of an installed package is now, found through that
 * package's `package.json` from the bundle's own folder (so it holds wherever npm put the
 * packages). Its `import.meta.url` is the bundle's: this module is not rewritten.
 */
const META_SOURCE = `import { createRequire } from "node:module";
import { dirname, join } from "node:path";
const require = createRequire(import.meta.url);
const roots = new Map();
export function packageFile(name, path) {
  let root = roots.get(name);
  if (root === undefined) {
    root = dirname(require.resolve(name + "/package.json"));
    roots.set(name, root);
  }
  return join(root, path);
}
`;

/** The nearest package.json above `file` that has a name: the package's name and folder. */
async function packageOf(file: string): Promise<{ name: string; root: string } | null> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (typeof json.name === "string") return { name: json.name, root: dir };
    } catch {
      // No package.json here (or not JSON): look further up.
    }
  }
  return null;
}

/**
 * Keeps `import.meta.url`, `import.meta.dirname` and `import.meta.filename` meaning the file they
 * were written in once it is bundled. StarStreamer's files use them to find what sits beside them
 * (the admin page's assets, the runtime's worker sources, the type-check job, the version in
 * package.json); in a bundle they would all name the bundle. Each such file gets the three values
 * computed from its package's name and its path inside the package (never an absolute path from
 * the machine that built the bundle), and esbuild's `define` swaps them in for the real
 * expressions only, not for text in strings or comments. Any other package's file that uses
 * `import.meta` fails the build: that package must stay outside the bundle.
 */
export function packageMetaPlugin(ownPackage: (name: string) => boolean): Plugin {
  return {
    name: "starstreamer-package-meta",
    setup(build) {
      build.onResolve({ filter: /^starstreamer-bundle:meta$/ }, (args) => ({
        path: args.path,
        namespace: "starstreamer-bundle-meta",
      }));
      build.onLoad({ filter: /.*/, namespace: "starstreamer-bundle-meta" }, () => ({
        contents: META_SOURCE,
        loader: "js",
        resolveDir: process.cwd(),
      }));
      build.onLoad({ filter: /\.m?js$/, namespace: "file" }, async (args) => {
        const code = await readFile(args.path, "utf8");
        if (!code.includes("import.meta")) return undefined;
        const { code: rewritten } = await transform(code, {
          loader: "js",
          format: "esm",
          define: {
            "import.meta.url": "__ssMetaUrl",
            "import.meta.dirname": "__ssMetaDirname",
            "import.meta.filename": "__ssMetaFilename",
          },
        });
        // Only mentioned in a comment or a string: the file is bundled as it is.
        if (!/\b__ssMeta(Url|Dirname|Filename)\b/.test(rewritten)) return undefined;
        const owner = await packageOf(args.path);
        if (!owner || !ownPackage(owner.name)) {
          return {
            errors: [
              {
                text: `${args.path} uses import.meta, which would name the bundle: keep ${owner?.name ?? "its package"} external`,
              },
            ],
          };
        }
        const inPackage = relative(owner.root, args.path).split(sep).join("/");
        const prelude = [
          `import { packageFile as __ssPackageFile } from ${JSON.stringify(META_MODULE)};`,
          `import { dirname as __ssDirnameOf } from "node:path";`,
          `import { pathToFileURL as __ssFileUrl } from "node:url";`,
          `const __ssMetaFilename = __ssPackageFile(${JSON.stringify(owner.name)}, ${JSON.stringify(inPackage)});`,
          "const __ssMetaDirname = __ssDirnameOf(__ssMetaFilename);",
          "const __ssMetaUrl = __ssFileUrl(__ssMetaFilename).href;",
        ].join("\n");
        return { contents: `${prelude}\n${rewritten}`, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}
