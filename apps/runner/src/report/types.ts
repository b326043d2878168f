export interface MetricValue {
  mean: number;
  se: number;
}

/** One point of a training curve: an epoch's loss and the valid metrics measured then. */
export interface CurvePoint {
  epoch: number;
  loss?: number;
  [metric: string]: number | undefined;
}

export interface Significance {
  /** Row compared with the experiment's baseline. */
  label: string;
  metric: string;
  diff: number;
  p: number;
  ciLow: number;
  ciHigh: number;
}

/** One model (or variant) in an experiment's table. */
export interface ModelRow {
  label: string;
  metrics: Record<string, MetricValue>;
  /** Per user / per example values, same order for every row (for paired tests). */
  perUnit?: Record<string, number[]>;
  curve?: CurvePoint[];
  /** Popularity-bias diagnostics (name -> value). */
  popularity?: Record<string, number>;
  epochs?: number;
  seconds?: number;
  /** Anything else worth showing (e.g. the learned gate value). */
  extra?: Record<string, number | string>;
  /** The epoch whose weights the row reports (1-based; 0 = the initial weights), and why it matters. */
  best?: BestEpoch;
  /** The config's name for the row (a models label) when the table's label adds to it. */
  source?: string;
  /** The step that made the row: its key and the exact resolved config it is a hash of. */
  step?: { hash: string; config: unknown };
}

export interface BestEpoch {
  epoch: number;
  /** Epochs trained. */
  of: number;
  /** 'initial': training never beat the starting weights on valid; 'last': the last epoch was best (under-trained?). */
  note?: 'initial' | 'last';
}

export interface ExperimentResult {
  title: string;
  kind: string;
  /** Protocol description, shown under the table. */
  protocol?: Record<string, unknown>;
  /** Metric columns in table order, e.g. ["recall@20", "ndcg@20", "hr@20"]. */
  metricKeys: string[];
  /** The metric models are selected and compared on (defaults to the first key). */
  mainMetric?: string;
  /** Row that significance is measured against. */
  baseline?: string;
  rows: ModelRow[];
  /** Rows are one model at several values of a parameter (the report plots the metrics against it; each row's extra holds its value). */
  sweep?: { parameter: string; values: number[] };
  significance?: Significance[];
  notes?: string[];
}

export interface RunResults {
  name: string;
  description?: string;
  seed: number;
  backend: string;
  startedAt: string;
  seconds: number;
  config: unknown;
  experiments: ExperimentResult[];
}
