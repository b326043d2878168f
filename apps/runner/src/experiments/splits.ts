import { LmrecError, type CfSplit } from '@lmrec/core';
import { leaveOneOutSplit, randomSplit, temporalSplit, type InteractionDataset } from '@lmrec/datasets';
import type { DatasetConfig } from '../config/schema.js';

export function makeSplit(data: InteractionDataset, split: DatasetConfig['split'], seed: number, field: string): CfSplit {
  switch (split.kind) {
    case 'ratio':
      return randomSplit(data, { ratios: split.ratios, seed });
    case 'leave-one-out':
      return leaveOneOutSplit(data);
    case 'temporal':
      return temporalSplit(data, { t1: split.validFrom, t2: split.testFrom });
    case 'given':
      throw new LmrecError('E_CONFIG', `dataset "${data.name}" comes unsplit: choose ${field}.split.kind ratio, leave-one-out or temporal`, { field: `${field}.split` });
  }
}

export function splitStats(split: CfSplit): Record<string, number> {
  return { users: split.nUsers, items: split.nItems, train: split.train.nnz, valid: split.valid.nnz, test: split.test.nnz };
}
