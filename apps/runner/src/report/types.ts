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
