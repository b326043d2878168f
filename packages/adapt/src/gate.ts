import { gatherDiff, LmrecError, tf, type GatingRecommender, type Module } from '@lmrec/core';

export interface RecSysGateOptions {
  /** Initial value of the gate logit c (RTA: 0, so s = sigmoid(c) starts at 0.5). */
  initialLogit?: number;
}

/**
 * RTA's RecSys gating: logits = s * g + (1 - s) * h with s = sigmoid(c), one
 * global learned scalar c. g are the (reindexed) LLM logits, h the logits of
 * a collaborative GatingRecommender over the conversation's item history.
 * The gate owns the recommender: its variables train jointly with c.
 */
export class RecSysGate implements Module {
  readonly logit: tf.Variable;

  constructor(
    readonly recommender: GatingRecommender,
    options: RecSysGateOptions = {},
  ) {
    this.logit = tf.variable(tf.scalar(options.initialLogit ?? 0), true);
  }

  get nItems(): number {
    return this.recommender.nItems;
  }

  /** s = sigmoid(c), the weight of the LLM logits. */
  gateValue(): number {
    return tf.tidy(() => tf.sigmoid(this.logit).dataSync()[0]);
  }

  /** s * g + (1 - s) * h for given g and h of the same shape. */
  combine(g: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    if (g.shape[0] !== h.shape[0] || g.shape[1] !== h.shape[1]) {
      throw new LmrecError('E_SHAPE', `gate: LLM logits [${g.shape}] and recommender logits [${h.shape}] differ in shape`);
    }
    return tf.tidy(() => {
      const s = tf.sigmoid(this.logit);
      return tf.add(tf.mul(s, g), tf.mul(tf.sub(1, s), h));
    });
  }

  /** The recommender's logits for the histories, restricted to `items` columns when given. */
  recommenderLogits(histories: readonly Int32Array[], items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const rec = this.recommender;
      const direct = items && rec.columnLogits;
      const h = direct ? rec.columnLogits!(histories, items, training) : rec.logits(histories, training);
      const width = direct ? items.length : rec.nItems;
      if (h.shape[0] !== histories.length || h.shape[1] !== width) {
        throw new LmrecError('E_SHAPE', `gating recommender "${rec.name}" returned [${h.shape}] for ${histories.length} histories over ${width} ${direct ? 'columns' : 'items'}`);
      }
      return items && !direct ? gatherDiff(h, items, 1) : h;
    });
  }

  /** Gated logits: g [B, k] with column j = items[j] (all items when omitted). */
  apply(g: tf.Tensor2D, histories: readonly Int32Array[], items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return tf.tidy(() => this.combine(g, this.recommenderLogits(histories, items, training)));
  }

  trainableVariables(): tf.Variable[] {
    return [this.logit, ...this.recommender.trainableVariables()];
  }

  state(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = { 'gate.c': this.logit };
    for (const [k, v] of Object.entries(this.recommender.state())) out[`recsys.${k}`] = v;
    return out;
  }

  loadState(state: Record<string, tf.Tensor>): void {
    const c = state['gate.c'];
    if (!c) throw new LmrecError('E_STATE', 'gate state lacks "gate.c"', { field: 'gate.c' });
    tf.tidy(() => this.logit.assign(c.reshape([]).toFloat()));
    const inner: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(state)) if (k.startsWith('recsys.')) inner[k.slice('recsys.'.length)] = v;
    this.recommender.loadState(inner);
  }

  /** Disposes the gate and the recommender it owns. */
  dispose(): void {
    this.logit.dispose();
    this.recommender.dispose();
  }
}
