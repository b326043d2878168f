/**
 * Just enough protobuf to serialise an ONNX ModelProto from code (field
 * numbers from onnx/onnx.proto3), so tests can build a tiny model without a
 * Python toolchain or a download.
 */
class Pb {
  private readonly parts: number[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    for (const b of value) this.parts.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Pb): this {
    return this.bytes(field, value.finish());
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(new Float32Array([value]).buffer);
    for (const x of b) this.parts.push(x);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** FLOAT: Float32Array; INT64: BigInt64Array. */
  data: Float32Array | BigInt64Array;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: { name: string; int?: number; ints?: number[]; float?: number }[];
}

export interface OnnxValue {
  name: string;
  elemType: number;
  /** A number is a fixed size; a string is a symbolic dimension. */
  shape: (number | string)[];
}

function tensorProto(t: OnnxTensor): Pb {
  const pb = new Pb();
  for (const d of t.dims) pb.int(1, d);
  pb.int(2, t.data instanceof Float32Array ? ONNX_FLOAT : ONNX_INT64);
  pb.string(8, t.name);
  pb.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return pb;
}

function valueInfo(v: OnnxValue): Pb {
  const shape = new Pb();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().string(2, d));
  const tensor = new Pb().int(1, v.elemType).message(2, shape);
  return new Pb().string(1, v.name).message(2, new Pb().message(1, tensor));
}

function nodeProto(n: OnnxNode, index: number): Pb {
  const pb = new Pb();
  for (const i of n.inputs) pb.string(1, i);
  for (const o of n.outputs) pb.string(2, o);
  pb.string(3, `${n.op}_${index}`);
  pb.string(4, n.op);
  for (const a of n.attributes ?? []) {
    const attr = new Pb().string(1, a.name);
    if (a.int !== undefined) attr.int(3, a.int).int(20, 2);
    else if (a.float !== undefined) attr.float(2, a.float).int(20, 1);
    else if (a.ints) {
      for (const x of a.ints) attr.int(8, x);
      attr.int(20, 7);
    }
    pb.message(5, attr);
  }
  return pb;
}

/** Serialised ModelProto (IR version 8, default opset `opset`). */
export function onnxModel(graph: { nodes: OnnxNode[]; initializers: OnnxTensor[]; inputs: OnnxValue[]; outputs: OnnxValue[] }, opset = 17): Uint8Array {
  const g = new Pb();
  graph.nodes.forEach((n, i) => g.message(1, nodeProto(n, i)));
  g.string(2, 'tiny');
  for (const t of graph.initializers) g.message(5, tensorProto(t));
  for (const v of graph.inputs) g.message(11, valueInfo(v));
  for (const v of graph.outputs) g.message(12, valueInfo(v));
  return new Pb().int(1, 8).string(2, 'lmrec-test').message(7, g).message(8, new Pb().string(1, '').int(2, opset)).finish();
}
