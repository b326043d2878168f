import type { IdMap, ItemTable } from './types.js';

export class DenseIdMap implements IdMap {
  private readonly lookup: Map<string, number>;

  constructor(readonly ids: readonly string[]) {
    this.lookup = new Map(ids.map((id, i) => [id, i]));
  }

  get size(): number {
    return this.ids.length;
  }

  index(id: string): number | undefined {
    return this.lookup.get(id);
  }

  /** The map restricted to `keep` (old indices, ascending), renumbered 0..n-1. */
  subset(keep: ArrayLike<number>): DenseIdMap {
    return new DenseIdMap(Array.from(keep, (i) => this.ids[i]));
  }
}

export class Items extends DenseIdMap implements ItemTable {
  constructor(
    ids: readonly string[],
    public titles: string[],
    public descriptions?: string[],
    public genres?: string[][],
    public brands?: string[],
  ) {
    super(ids);
  }

  override subset(keep: ArrayLike<number>): Items {
    const pick = <T>(xs: T[] | undefined) => (xs ? Array.from(keep, (i) => xs[i]) : undefined);
    return new Items(Array.from(keep, (i) => this.ids[i]), pick(this.titles)!, pick(this.descriptions), pick(this.genres), pick(this.brands));
  }
}
