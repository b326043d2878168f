
/** Original id <-> dense index. */
export interface IdMap {
  readonly size: number;
  /** Original ids by dense index. */
  readonly ids: readonly string[];
  /** Dense index of an original id, or undefined. */
  index(id: string): number | undefined;
}

/** Items with their text fields, by dense index. */
export interface ItemTable extends IdMap {
  titles: string[];
  descriptions?: string[];
  genres?: string[][];
  brands?: string[];
}

export interface Quantiles {
  min: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  max: number;
  mean: number;
}

export interface InteractionStats {
  users: number;
  items: number;
  interactions: number;
  density: number;
  userDegree: Quantiles;
  itemDegree: Quantiles;
}
