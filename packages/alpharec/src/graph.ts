/** LightGCN propagation lives in @lmrec/recsys (one implementation for LightGCN, AlphaRec and zero-shot); re-exported for compatibility. */
export { propagate, propagateBackward, propagateTensor } from '@lmrec/recsys';
