import { loadAlphaRecDir } from '../src/index.js';
const r = await loadAlphaRecDir('/work/shared/data/ml100k-cf');
console.log(r.split.nUsers, r.split.nItems, r.split.train.nnz, r.split.valid.nnz, r.split.test.nnz, r.itemEmbeddings?.dim, r.itemEmbeddings?.data.length);
