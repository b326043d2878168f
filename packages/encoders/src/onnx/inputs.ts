export interface ModelInputs {
  batch: number;
  seq: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Present when the tokenizer returns token type ids. */
  tokenTypeIds?: BigInt64Array;
}

/**
 * Tokenises each text with its special tokens, truncates to `maxLength`
 * the way Python `tokenizers` does (content tokens are cut; the template's
 * trailing special tokens such as [SEP] / </s> are kept), and pads to the
 * longest row on the tokenizer's padding side.
 *
 * Why not `tokenizer(texts, { truncation: true })`: transformers.js 4.3.1
 * cuts after adding special tokens, so a long text loses its [SEP]/EOS,
 * which changes `last` pooling and differs from the Python reference.
 */
export function buildInputs(tokenizer: any, texts: readonly string[], maxLength: number): ModelInputs {
  const special = new Set<number>((tokenizer.all_special_ids ?? []).map(Number));
  const rows: { ids: number[]; types?: number[] }[] = [];
  for (const text of texts) {
    const enc = tokenizer(text);
    let ids = Array.from(enc.input_ids.data as ArrayLike<bigint>, Number);
    let types = enc.token_type_ids ? Array.from(enc.token_type_ids.data as ArrayLike<bigint>, Number) : undefined;
    if (ids.length > maxLength) {
      let suffix = 0;
      while (suffix < ids.length && suffix < maxLength && special.has(ids[ids.length - 1 - suffix])) suffix++;
      const keep = maxLength - suffix;
      ids = [...ids.slice(0, keep), ...ids.slice(ids.length - suffix)];
      if (types) types = [...types.slice(0, keep), ...types.slice(types.length - suffix)];
    }
    rows.push({ ids, types });
  }
  const batch = rows.length;
  const seq = Math.max(1, ...rows.map((r) => r.ids.length));
  const padId = BigInt(tokenizer.pad_token_id ?? 0);
  const left = tokenizer.padding_side === 'left';
  const inputIds = new BigInt64Array(batch * seq).fill(padId);
  const attentionMask = new BigInt64Array(batch * seq);
  const withTypes = rows.every((r) => r.types);
  const tokenTypeIds = withTypes ? new BigInt64Array(batch * seq) : undefined;
  rows.forEach((row, r) => {
    const offset = r * seq + (left ? seq - row.ids.length : 0);
    row.ids.forEach((id, t) => {
      inputIds[offset + t] = BigInt(id);
      attentionMask[offset + t] = 1n;
      if (tokenTypeIds) tokenTypeIds[offset + t] = BigInt(row.types![t]);
    });
  });
  return { batch, seq, inputIds, attentionMask, tokenTypeIds };
}
