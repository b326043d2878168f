import { isMap, isSeq, type Document, type LineCounter } from 'yaml';

/** "models.0.options.lr" -> ["models", 0, "options", "lr"]. */
export function pathOf(dotted: string): (string | number)[] {
  return dotted.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Line (1-based) of the deepest key of `path` that exists in the YAML document. */
export function keyLine(doc: Document, lines: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const offset = isMap(parent)
      ? ((parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path[n - 1])?.key as { range?: number[] } | undefined)?.range?.[0])
      : isSeq(parent)
        ? (parent.items[Number(path[n - 1])] as { range?: number[] } | undefined)?.range?.[0]
        : undefined;
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  // Nothing of the path exists (a missing top-level key): the document's first line.
  const start = (doc.contents as { range?: number[] } | null)?.range?.[0];
  return start === undefined ? undefined : lines.linePos(start).line;
}
